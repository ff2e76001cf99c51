# The same image as `./mvnw -Pimage package` (Jib), for those who build with Docker:
#   docker build -t tally:0.1.0-SNAPSHOT .
# Stage 1 builds the jar (tests are the CI's job, not the image build's); stage 2 runs it on a
# JRE only, unpacked into Spring Boot's layers so that a code change rebuilds only the last one.
# The bases are arguments so that a machine without a registry can use local ones (docs/deploy.md).
ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG JRE_IMAGE=eclipse-temurin:25-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q dependency:go-offline
# .git, if the context has it, gives /actuator/info its "git" part; without it the build goes on.
# A linked work tree's .git is a file pointing outside the context, which git-commit-id cannot
# read and fails on (whatever failOnNoGitDirectory says): skip it then.
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q package -DskipTests \
      $([ -d .git ] || echo -Dmaven.gitcommitid.skip=true) \
 && java -Djarmode=tools -jar target/tally-*.jar extract --layers --launcher --destination /layers

FROM ${JRE_IMAGE}
# uid 1000 ("ubuntu" in the base), numeric so that Kubernetes' runAsNonRoot can check it.
# /app/data is the embedded H2 default's directory; it must be writable by that user.
WORKDIR /app
RUN mkdir -p /app/data && chown 1000:1000 /app/data
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 1000:1000
EXPOSE 8080
# Heap as a share of the container's memory limit (the rest: metaspace, threads, Kafka's and
# Tomcat's direct buffers); exit on OOM so that the orchestrator restarts a clean JVM. Add flags
# with JAVA_TOOL_OPTIONS. Same flags as the Jib image (pom.xml, profile "image").
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:InitialRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", \
            "org.springframework.boot.loader.launch.JarLauncher"]
