# sora-batch in a container: builds the jar, then runs it as a non-root user.
#   docker build -t sora-batch:1.0 .
#   docker run --rm -m 768m -v "$PWD/data:/data" -e AZURE_SORA_ENDPOINT -e AZURE_API_KEY sora-batch:1.0 \
#       --input=/data/input/prompts.csv --output=/data/output
# Nightly, into /data/output/<date>/: --entrypoint /opt/sora-batch/sora-batch-nightly (reads
# /data/input/tonight.csv; what the Kubernetes CronJob in deploy/kubernetes/ runs), or stay up inside the
# container with --schedule="0 0 2 * * *".
#
# The base images are pinned to exact tags; the runtime one is the JRE the memory budget was measured on
# (OpenJDK 17.0.15+6, docs/benchmarks.md "Memory of a deployed run"). To pin them by digest as well (a tag can
# be pushed again), resolve each once on a machine that reaches Docker Hub:
#   docker buildx imagetools inspect eclipse-temurin:17.0.15_6-jre --format '{{json .Manifest.Digest}}'
#   docker buildx imagetools inspect maven:3.9.9-eclipse-temurin-17 --format '{{json .Manifest.Digest}}'
# and write FROM eclipse-temurin:17.0.15_6-jre@sha256:<digest> (same for maven). Not done here: the machine this
# file was written on has no network and no Docker engine, so this Dockerfile has not been built there.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17.0.15_6-jre
RUN groupadd --system --gid 10001 sora-batch \
    && useradd --system --uid 10001 --gid sora-batch --home-dir /data --no-create-home sora-batch \
    && mkdir -p /data && chown sora-batch:sora-batch /data
COPY --from=build /build/target/sora-batch.jar /opt/sora-batch/sora-batch.jar
COPY deploy/sora-batch-nightly /opt/sora-batch/sora-batch-nightly
USER 10001:10001
# The working directory holds .env files and, by default, the H2 job repository (.sora-batch/): keep it on a volume.
WORKDIR /data
# The heap is a share of the container's memory limit (-m, resources.limits.memory), not a fixed -Xmx: 75 % of it,
# the rest for metaspace, code and threads. The serial collector is what the JVM picks by itself below 1792 MB
# (or 2 CPUs); naming it keeps the measured footprint if the limit is raised. Replace with -e JAVA_OPTS=...
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC"
# exec: java is PID 1 and gets the SIGTERM of docker stop / Kubernetes (sora-batch then records the jobs in flight).
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /opt/sora-batch/sora-batch.jar \"$@\"", "sora-batch"]
CMD ["--help"]
