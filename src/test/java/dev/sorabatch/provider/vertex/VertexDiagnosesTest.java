package dev.sorabatch.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;

class VertexDiagnosesTest {

    @Test
    void aRetiredModelIsTheOneGoogleNamesNotTheDefaultAndItsReplacementIsQuoted() {
        ServiceException retired = new ServiceException(ErrorKind.ROW, Operation.CREATE.label(), 404, "NOT_FOUND",
                "Publisher Model `projects/p/locations/us-central1/publishers/google/models/veo-3.0-fast-generate-001`"
                        + " is no longer available. Please use veo-3.1-fast-generate-001 instead.",
                null, null, null, null, null);

        String diagnosis = VertexDiagnoses.INSTANCE.ofAnswer(retired, "veo-3.1-fast-generate-001");

        assertThat(diagnosis).contains("veo-3.0-fast-generate-001").contains("veo-3.1-fast-generate-001");
        assertThat(diagnosis.indexOf("veo-3.0-fast-generate-001")).isLessThan(
                diagnosis.indexOf("veo-3.1-fast-generate-001"));
    }
}
