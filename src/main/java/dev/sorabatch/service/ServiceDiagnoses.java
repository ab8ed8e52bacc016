package dev.sorabatch.service;

/**
 * One provider's cause-and-fix table, in its own words (its variables, its console). The neutral cases — a file
 * that cannot be saved, an image URL, a redirect loop, the network — are told by the job before it asks this.
 */
public interface ServiceDiagnoses {

    /** An error answer of the service (an HTTP status) to a call made with {@code model}. */
    String ofAnswer(ServiceException e, String model);

    /** A job the service reports as ended without a video. */
    String ofFailedJob(VideoJob job);

    /** The setting or variable that says where the service is, named in network diagnoses. */
    String endpointSetting();
}
