# scoregate runtime image. Build the jar first, then the image:
#   mvn -B package            # -> target/scoregate.jar (shaded)
#   docker build -t ghcr.io/scoregate/scoregate:0.1.0 .
# Kubernetes manifests: k8s/ (see k8s/README.md).
FROM eclipse-temurin:17-jre

# A fixed non-root uid/gid: the pods run as 10001 with runAsNonRoot, which Kubernetes can only
# verify for a numeric user.
RUN groupadd --system --gid 10001 scoregate \
    && useradd --system --uid 10001 --gid scoregate --no-create-home \
       --home-dir /app --shell /usr/sbin/nologin scoregate

WORKDIR /app
# Owned by root, readable by all: the process cannot modify its own jar.
COPY target/scoregate.jar /app/scoregate.jar

USER 10001:10001
EXPOSE 8080

# Exec form: java is PID 1 and gets SIGTERM directly, which starts the graceful shutdown.
# Configuration: the copy of config/application.yaml inside the jar, SCOREGATE_CONFIG=<file>
# and SCOREGATE_* variables.
ENTRYPOINT ["java", "-jar", "/app/scoregate.jar"]
CMD ["serve"]
