package dev.sorabatch.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RowSelectionTest {

    @Test
    void rangesAndNumbersAreSortedAndMergedIntoOneCanonicalSpec() {
        RowSelection rows = RowSelection.parse(" 15, 1-3 ,2-10,11");

        assertThat(rows.spec()).isEqualTo("1-11,15");
        assertThat(rows.contains(11)).isTrue();
        assertThat(rows.contains(12)).isFalse();
        assertThat(rows.contains(15)).isTrue();
        assertThat(rows.lastRow()).isEqualTo(15);
        assertThat(RowSelection.parse("4-5,2").spec()).isEqualTo(RowSelection.parse("2,4,5").spec()).isEqualTo("2,4-5");
    }

    @Test
    void whatIsNotARowSelectionIsRefusedNamingThePart() {
        assertThatThrownBy(() -> RowSelection.parse("1,,3")).hasMessageContaining("'' is not a row number");
        assertThatThrownBy(() -> RowSelection.parse("0-3")).hasMessageContaining("numbered from 1");
        assertThatThrownBy(() -> RowSelection.parse("9-2")).hasMessageContaining("'9-2' ends before it starts");
        assertThatThrownBy(() -> RowSelection.parse("1-")).hasMessageContaining("'1-' is not a row number");
        assertThatThrownBy(() -> RowSelection.parse("99999999999")).hasMessageContaining("too large");
        assertThatThrownBy(() -> RowSelection.parse(" ")).hasMessageContaining("no rows given");
    }
}
