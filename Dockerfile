# syntax=docker/dockerfile:1
# Integrity Runner image: build with the Maven wrapper on a JDK 21, run on a JRE 21 as a non-root
# user. Default command: `integrity serve` on 0.0.0.0:8080, which refuses to start without
# INTEGRITY_API_TOKEN. The image carries no config: mount yours at /etc/integrity/integrity.yml
# (without one the container stops at once with exit 64 and prints the `docker run -v ...` line
# to use; the README's Deploy part has it too)
# and keep /var/lib/integrity (the SQLite store) on a volume, or point INTEGRITY_DB_URL at
# PostgreSQL. The bundled demo is an explicit command:
#   docker run --rm -p 8080:8080 -e INTEGRITY_API_TOKEN=pick-a-long-token integrity-runner demo

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
# Dependencies first, so a source change does not download them again.
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
COPY examples/ examples/
COPY docs/ docs/
RUN ./mvnw -B -q -Dmaven.test.skip=true -Dspotless.check.skip=true package

FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 integrity \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/integrity --shell /usr/sbin/nologin integrity \
 && mkdir -p /var/lib/integrity /etc/integrity \
 && chown integrity:integrity /var/lib/integrity
COPY --from=build /src/target/integrity.jar /opt/integrity/integrity.jar
# deploy/docker/entrypoint.sh checks that every --config is there, runs `demo` on 0.0.0.0.
COPY --chmod=0755 deploy/docker/entrypoint.sh /opt/integrity/entrypoint.sh
ENV INTEGRITY_DB_URL=jdbc:sqlite:/var/lib/integrity/integrity.db \
    LOG_FORMAT=json
VOLUME ["/var/lib/integrity"]
WORKDIR /var/lib/integrity
USER 10001:10001
EXPOSE 8080
# bash's /dev/tcp: the JRE image has no curl, and /healthz never needs the token.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/opt/integrity/entrypoint.sh"]
CMD ["serve", "--config", "/etc/integrity/integrity.yml", "--host", "0.0.0.0", "--port", "8080"]
