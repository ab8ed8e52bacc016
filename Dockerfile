# sora-batch in a container: builds the jar, then runs it as a non-root user.
#   docker build -t sora-batch:1.0 .
#   docker run --rm -v "$PWD/data:/data" -e AZURE_SORA_ENDPOINT -e AZURE_API_KEY sora-batch:1.0 \
#       --input=/data/input/prompts.csv --output=/data/output
# Nightly inside the container instead of from a scheduler: add --schedule="0 0 2 * * *".
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 sora-batch \
    && useradd --system --uid 10001 --gid sora-batch --home-dir /data --no-create-home sora-batch \
    && mkdir -p /data && chown sora-batch:sora-batch /data
COPY --from=build /build/target/sora-batch.jar /opt/sora-batch/sora-batch.jar
USER 10001:10001
# The working directory holds .env files and, by default, the H2 job repository (.sora-batch/): keep it on a volume.
WORKDIR /data
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/sora-batch/sora-batch.jar"]
CMD ["--help"]
