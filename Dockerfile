# syntax=docker/dockerfile:1
# Build: docker build -t recalign .   Run: docker run -p 8080:8080 -v recalign-data:/data recalign
FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY db db
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 recalign \
    && useradd --system --uid 10001 --gid recalign --home-dir /data --no-create-home recalign \
    && mkdir -p /data /app \
    && chown recalign:recalign /data
COPY --from=build /build/target/recalign.jar /app/recalign.jar
# Embedded PostgreSQL (when SPRING_DATASOURCE_URL is unset), models and checkpoints live in /data.
ENV RECALIGN_HOME=/data \
    DJL_OFFLINE=true \
    DJL_CACHE_DIR=/data/djl
VOLUME /data
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS http://localhost:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "/app/recalign.jar"]
CMD ["serve"]
