package io.scoregate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.scoregate.app.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Owns the Kubernetes manifests in {@code k8s/} and the root {@code Dockerfile}: checks them
 * against the code they deploy, so that a renamed configuration key, a moved health route, a port
 * change, a stale ConfigMap or a grace period shorter than the gateway's shutdown fails here rather
 * than in a rollout. It reads files only: no cluster, no Docker.
 */
class K8sManifestsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path K8S = ROOT.resolve("k8s");
  private static final Path CONFIG = ROOT.resolve("config/application.yaml");
  private static final Path HEALTH_ROUTES =
      ROOT.resolve("src/main/java/io/scoregate/app/HealthRoutes.java");
  private static final Path LOGBACK = ROOT.resolve("src/main/resources/logback.xml");
  private static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
  private static final String KUSTOMIZATION = "kustomization.yaml";
  private static final String CONFIG_KEY = "application.yaml";
  private static final String PLACEHOLDER = "CHANGE_ME";
  private static final YAMLMapper YAML = new YAMLMapper();

  /** One YAML document of one file under k8s/. */
  record Manifest(String file, JsonNode doc) {
    String kind() {
      return doc.path("kind").asText();
    }

    String name() {
      return doc.path("metadata").path("name").asText();
    }
  }

  /** A pod template and the manifest it belongs to. */
  record Pod(Manifest owner, JsonNode spec, JsonNode labels) {
    List<JsonNode> containers() {
      List<JsonNode> all = new ArrayList<>();
      spec.path("initContainers").forEach(all::add);
      spec.path("containers").forEach(all::add);
      return all;
    }
  }

  private static List<Manifest> manifests;
  private static JsonNode config;

  @BeforeAll
  static void load() throws IOException {
    config = YAML.readTree(CONFIG.toFile());
    manifests = new ArrayList<>();
    try (Stream<Path> files = Files.walk(K8S)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        if (file.getFileName().toString().equals(KUSTOMIZATION)) {
          continue; // a kustomize file, not a Kubernetes object
        }
        String name = K8S.relativize(file).toString();
        int before = manifests.size();
        try (MappingIterator<JsonNode> docs =
            YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
          while (docs.hasNext()) {
            JsonNode doc = docs.next();
            if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
              manifests.add(new Manifest(name, doc));
            }
          }
        }
        assertThat(manifests.size()).as("%s holds no manifest", name).isGreaterThan(before);
      }
    }
  }

  @Test
  void everyManifestIsAKubernetesObjectAndEveryKindIsThere() {
    for (Manifest m : manifests) {
      assertThat(m.doc().path("apiVersion").asText()).as("%s: apiVersion", m.file()).isNotBlank();
      assertThat(m.kind()).as("%s: kind", m.file()).isNotBlank();
      assertThat(m.name()).as("%s: metadata.name", m.file()).isNotBlank();
    }
    assertThat(manifests.stream().map(Manifest::kind))
        .contains(
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "ConfigMap",
            "Secret",
            "NetworkPolicy",
            "Job");
  }

  @Test
  void probesAndPortsMatchTheGateway() {
    Pod pod = gatewayPod();
    JsonNode container = gatewayContainer();
    int port = httpPort();

    assertThat(namedPort(container, "http"))
        .as("containerPort named http = http.port of config/application.yaml")
        .isEqualTo(port);
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/health/live");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/health/ready");
    assertThat(container.path("startupProbe").path("httpGet").path("path").asText())
        .isIn("/health/live", "/health/ready");
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      JsonNode probePort = container.path(probe).path("httpGet").path("port");
      assertThat(resolvePort(probePort, container)).as("%s port", probe).isEqualTo(port);
    }

    Manifest service = one("Service");
    assertThat(labelsMatch(service.doc().path("spec").path("selector"), pod.labels()))
        .as("the Service selects the gateway pods")
        .isTrue();
    List<Integer> targets = new ArrayList<>();
    service
        .doc()
        .path("spec")
        .path("ports")
        .forEach(p -> targets.add(resolvePort(p.path("targetPort"), container)));
    assertThat(targets).as("the Service's target ports").contains(port);

    JsonNode annotations =
        gatewayDeployment().path("spec").path("template").path("metadata").path("annotations");
    assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
    assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(Integer.toString(port));
    assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
  }

  @Test
  void healthPathsAreTheRoutesTheGatewayMounts() throws IOException {
    Set<String> routes = new TreeSet<>();
    Matcher get =
        Pattern.compile("\\.get\\(\\s*\"([^\"]+)\"\\s*\\)")
            .matcher(Files.readString(HEALTH_ROUTES));
    while (get.find()) {
      routes.add(get.group(1));
    }
    assertThat(routes).contains("/health/live", "/health/ready", "/metrics");

    for (Pod pod : pods()) {
      for (JsonNode container : pod.containers()) {
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
          JsonNode path = container.path(probe).path("httpGet").path("path");
          if (!path.isMissingNode()) {
            assertThat(path.asText())
                .as("%s: %s path is a route of HealthRoutes.java", pod.owner().file(), probe)
                .isIn(routes);
          }
        }
      }
    }
    String scrapePath =
        gatewayDeployment()
            .path("spec")
            .path("template")
            .path("metadata")
            .path("annotations")
            .path("prometheus.io/path")
            .asText();
    assertThat(scrapePath).isIn(routes);
  }

  @Test
  void autoscalerAndDisruptionBudgetFollowTheDeployment() {
    JsonNode deployment = gatewayDeployment();
    Pod pod = gatewayPod();
    JsonNode spec = deployment.path("spec");
    assertThat(labelsMatch(spec.path("selector").path("matchLabels"), pod.labels()))
        .as("the Deployment's selector matches its pod template")
        .isTrue();
    JsonNode rolling = spec.path("strategy").path("rollingUpdate");
    assertThat(spec.path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(rolling.path("maxUnavailable").asText()).isEqualTo("0");
    assertThat(rolling.path("maxSurge").asText()).isEqualTo("1");

    JsonNode hpa = one("HorizontalPodAutoscaler").doc();
    assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
    JsonNode target = hpa.path("spec").path("scaleTargetRef");
    assertThat(target.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(target.path("kind").asText()).isEqualTo("Deployment");
    assertThat(target.path("name").asText())
        .isEqualTo(deployment.path("metadata").path("name").asText());
    int min = hpa.path("spec").path("minReplicas").asInt();
    int max = hpa.path("spec").path("maxReplicas").asInt();
    assertThat(min).as("HPA minReplicas").isGreaterThanOrEqualTo(3);
    assertThat(max).as("HPA maxReplicas").isGreaterThan(min);
    if (spec.has("replicas")) {
      assertThat(spec.path("replicas").asInt()).as("Deployment replicas").isBetween(min, max);
    }
    List<String> metrics = new ArrayList<>();
    hpa.path("spec")
        .path("metrics")
        .forEach(m -> metrics.add(m.path("resource").path("name").asText()));
    assertThat(metrics).contains("cpu");
    assertThat(gatewayContainer().path("resources").path("requests").path("cpu").asText())
        .as("CPU utilization is relative to the CPU request")
        .isNotBlank();
    assertThat(
            hpa.path("spec")
                .path("behavior")
                .path("scaleDown")
                .path("stabilizationWindowSeconds")
                .asInt())
        .isPositive();

    JsonNode pdb = one("PodDisruptionBudget").doc().path("spec");
    JsonNode pdbSelector = pdb.path("selector").path("matchLabels");
    assertThat(labelsMatch(pdbSelector, pod.labels()))
        .as("the PodDisruptionBudget selects the gateway pods")
        .isTrue();
    for (Pod other : pods()) {
      if (other.owner() != pod.owner()) {
        assertThat(labelsMatch(pdbSelector, other.labels()))
            .as("the PodDisruptionBudget also selects the pods of %s", other.owner().file())
            .isFalse();
      }
    }
    if (pdb.has("minAvailable")) {
      assertThat(pdb.path("minAvailable").asInt()).as("PDB minAvailable").isLessThan(min);
    } else {
      assertThat(pdb.path("maxUnavailable").asInt()).as("PDB maxUnavailable").isBetween(1, min - 1);
    }
  }

  @Test
  void networkPolicyOpensOnlyTheGatewayPortAndTheBackends() {
    JsonNode policy = one("NetworkPolicy").doc().path("spec");
    JsonNode container = gatewayContainer();
    assertThat(labelsMatch(policy.path("podSelector").path("matchLabels"), gatewayPod().labels()))
        .as("the NetworkPolicy selects the gateway pods")
        .isTrue();
    List<String> types = new ArrayList<>();
    policy.path("policyTypes").forEach(t -> types.add(t.asText()));
    assertThat(types).contains("Ingress", "Egress");

    JsonNode ingress = policy.path("ingress");
    assertThat(ingress.size()).as("ingress rules").isPositive();
    for (JsonNode rule : ingress) {
      assertThat(rule.path("from").size()).as("every ingress rule names its sources").isPositive();
      assertThat(rule.path("ports").size()).as("every ingress rule names its ports").isPositive();
      rule.path("ports")
          .forEach(
              p ->
                  assertThat(resolvePort(p.path("port"), container))
                      .as("ingress port")
                      .isEqualTo(httpPort()));
    }

    Map<String, String> env = effectiveEnv(container);
    Set<String> egress = new TreeSet<>();
    for (JsonNode rule : policy.path("egress")) {
      assertThat(rule.path("ports").size())
          .as("an egress rule without ports opens all")
          .isPositive();
      rule.path("ports")
          .forEach(
              p -> egress.add(p.path("protocol").asText("TCP") + "/" + p.path("port").asText()));
    }
    assertThat(egress)
        .containsExactlyInAnyOrder(
            "TCP/" + setting(env, "pg.port"),
            "TCP/" + setting(env, "redis.port"),
            "UDP/53",
            "TCP/53");
  }

  @Test
  void everyScoregateVariableNamesAConfigurationKey() throws IOException {
    Set<String> keys = new TreeSet<>();
    leafVariables(config, "SCOREGATE", keys);
    // The rule as documented in application.yaml and ConfigLoader.
    assertThat(keys)
        .contains(
            "SCOREGATE_HTTP_PORT",
            "SCOREGATE_PG_MAX_POOL_SIZE",
            "SCOREGATE_POLICY_LEVELS_0_MIN_SCORE",
            "SCOREGATE_EDGE_API_KEY_PEPPER");
    Set<String> allowed = new TreeSet<>(keys);
    allowed.add("SCOREGATE_CONFIG");
    // Read by logback.xml, not by ConfigLoader (log levels).
    Matcher logback =
        Pattern.compile("\\$\\{(SCOREGATE_[A-Z0-9_]+)").matcher(Files.readString(LOGBACK));
    while (logback.find()) {
      allowed.add(logback.group(1));
    }

    List<String> unknown = new ArrayList<>();
    for (Pod pod : pods()) {
      assertThat(pod.spec().path("enableServiceLinks").asBoolean(true))
          .as(
              "%s: enableServiceLinks false (no injected SCOREGATE_SERVICE_* variables)",
              pod.owner().file())
          .isFalse();
      for (JsonNode container : pod.containers()) {
        for (String name : effectiveEnv(container).keySet()) {
          if (name.startsWith("SCOREGATE_") && !allowed.contains(name)) {
            unknown.add(pod.owner().file() + ": " + name);
          }
        }
      }
    }
    assertThat(unknown)
        .as("SCOREGATE_* variables that override no key of config/application.yaml")
        .isEmpty();
  }

  @Test
  void theConfigMapIsTheConfigurationFileVerbatim() throws IOException {
    List<Manifest> files =
        manifests.stream()
            .filter(m -> m.kind().equals("ConfigMap") && m.doc().path("data").has(CONFIG_KEY))
            .toList();
    assertThat(files).as("ConfigMaps holding %s", CONFIG_KEY).hasSize(1);
    Manifest configMap = files.get(0);
    String embedded = configMap.doc().path("data").path(CONFIG_KEY).asText();
    assertThat(embedded.getBytes(UTF_8))
        .as("%s is stale: run k8s/build-configmap.sh", configMap.file())
        .isEqualTo(Files.readAllBytes(CONFIG));

    for (Pod pod : pods()) {
      for (JsonNode container : pod.containers()) {
        String file = effectiveEnv(container).get("SCOREGATE_CONFIG");
        assertThat(file).as("%s: SCOREGATE_CONFIG", pod.owner().file()).isNotBlank();
        assertThat(mountedConfigMapKey(pod, container, file))
            .as("%s: what SCOREGATE_CONFIG=%s points at", pod.owner().file(), file)
            .isEqualTo(configMap.name() + "/" + CONFIG_KEY);
      }
    }
  }

  @Test
  void migrationsRunAsAJobNotInThePods() {
    assertThat(config.path("pg").has("migrateOnStart")).isTrue();
    assertThat(setting(effectiveEnv(gatewayContainer()), "pg.migrateOnStart"))
        .as("the Deployment's pg.migrateOnStart")
        .isEqualTo("false");
    List<String> commands = new ArrayList<>();
    for (Pod pod : pods()) {
      if (pod.owner().kind().equals("Job")) {
        for (JsonNode container : pod.containers()) {
          List<String> line = new ArrayList<>();
          container.path("command").forEach(c -> line.add(c.asText()));
          container.path("args").forEach(c -> line.add(c.asText()));
          commands.add(String.join(" ", line));
        }
      }
    }
    assertThat(commands).contains("java -jar /app/scoregate.jar migrate");
  }

  @Test
  void shutdownFitsInTheTerminationGracePeriod() {
    JsonNode spec = gatewayPod().spec();
    JsonNode container = gatewayContainer();
    // Kubernetes' default when the field is absent.
    int grace = spec.path("terminationGracePeriodSeconds").asInt(30);
    double preStop = preStopSleepSeconds(container.path("lifecycle").path("preStop"));
    double shutdownGraceMs =
        Double.parseDouble(setting(effectiveEnv(container), "http.shutdownGraceMs"));
    assertThat(preStop).as("preStop pause, seconds").isPositive();
    assertThat(preStop + shutdownGraceMs / 1000)
        .as(
            "preStop %s s + http.shutdownGraceMs %s ms must end before"
                + " terminationGracePeriodSeconds %s",
            preStop, (long) shutdownGraceMs, grace)
        .isLessThan(grace);
  }

  @Test
  void theSecretTemplateHoldsOnlyPlaceholders() {
    List<Manifest> secrets = manifests.stream().filter(m -> m.kind().equals("Secret")).toList();
    assertThat(secrets).isNotEmpty();
    Set<String> templateKeys = new TreeSet<>();
    for (Manifest secret : secrets) {
      Map<String, String> values = new LinkedHashMap<>();
      secret
          .doc()
          .path("stringData")
          .fields()
          .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
      secret
          .doc()
          .path("data")
          .fields()
          .forEachRemaining(
              e ->
                  values.put(
                      e.getKey(),
                      new String(Base64.getDecoder().decode(e.getValue().asText()), UTF_8)));
      assertThat(values).as("%s values", secret.file()).isNotEmpty();
      values.forEach(
          (key, value) ->
              assertThat(value)
                  .as("%s: %s is a placeholder", secret.file(), key)
                  .contains(PLACEHOLDER));
      values.keySet().forEach(key -> templateKeys.add(secret.name() + "/" + key));
    }

    for (Pod pod : pods()) {
      for (JsonNode container : pod.containers()) {
        for (JsonNode env : container.path("env")) {
          JsonNode ref = env.path("valueFrom").path("secretKeyRef");
          if (!ref.isMissingNode()) {
            assertThat(ref.path("name").asText() + "/" + ref.path("key").asText())
                .as(
                    "%s: %s comes from a key the template documents",
                    pod.owner().file(), env.path("name").asText())
                .isIn(templateKeys);
          }
        }
      }
    }
    Map<String, JsonNode> gatewayEnv = new LinkedHashMap<>();
    gatewayContainer().path("env").forEach(e -> gatewayEnv.put(e.path("name").asText(), e));
    for (String key : List.of("pg.password", "edge.apiKeyPepper")) {
      JsonNode env = gatewayEnv.get(variable(key));
      assertThat(env).as("the Deployment sets %s", variable(key)).isNotNull();
      assertThat(env.path("valueFrom").has("secretKeyRef"))
          .as("%s comes from a Secret, never a literal", variable(key))
          .isTrue();
    }
  }

  @Test
  void kustomizationAppliesEverythingButTheSecretTemplateAndTheJob() throws IOException {
    JsonNode kustomization = YAML.readTree(K8S.resolve(KUSTOMIZATION).toFile());
    Set<String> listed = new TreeSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    for (String resource : listed) {
      assertThat(K8S.resolve(resource)).as("kustomization resource").isRegularFile();
    }
    Set<String> expected = new TreeSet<>();
    Set<String> excluded = new TreeSet<>();
    for (Manifest m : manifests) {
      (m.kind().equals("Secret") || m.kind().equals("Job") ? excluded : expected).add(m.file());
    }
    expected.removeAll(excluded);
    assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void podsRunAsNonRootOnAReadOnlyFilesystem() {
    for (Pod pod : pods()) {
      String file = pod.owner().file();
      assertThat(pod.spec().path("automountServiceAccountToken").asBoolean(true))
          .as("%s: automountServiceAccountToken", file)
          .isFalse();
      Set<String> emptyDirs = new TreeSet<>();
      pod.spec()
          .path("volumes")
          .forEach(
              v -> {
                if (v.has("emptyDir")) {
                  emptyDirs.add(v.path("name").asText());
                }
              });
      for (JsonNode container : pod.containers()) {
        JsonNode security = container.path("securityContext");
        boolean nonRoot =
            security.path("runAsNonRoot").asBoolean(false)
                || pod.spec().path("securityContext").path("runAsNonRoot").asBoolean(false);
        assertThat(nonRoot).as("%s: runAsNonRoot", file).isTrue();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean(false))
            .as("%s: readOnlyRootFilesystem", file)
            .isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true))
            .as("%s: allowPrivilegeEscalation", file)
            .isFalse();
        List<String> dropped = new ArrayList<>();
        security.path("capabilities").path("drop").forEach(c -> dropped.add(c.asText()));
        assertThat(dropped).as("%s: dropped capabilities", file).contains("ALL");
        String tmpVolume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
          if (mount.path("mountPath").asText().equals("/tmp")) {
            tmpVolume = mount.path("name").asText();
          }
        }
        assertThat(tmpVolume).as("%s: /tmp from an emptyDir", file).isIn(emptyDirs);
        assertThat(container.path("resources").path("limits").path("memory").asText())
            .as("%s: memory limit", file)
            .isNotBlank();
        assertThat(effectiveEnv(container).get("JAVA_TOOL_OPTIONS"))
            .as("%s: JVM sized to the container", file)
            .contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError");
      }
    }
  }

  @Test
  void theGatewayRunsWithTheGcFlagsTheScriptsMeasured() {
    assertThat(effectiveEnv(gatewayContainer()).get("JAVA_TOOL_OPTIONS"))
        .contains(gatewayGcOptions().split(" "));
  }

  @Test
  void theImageIsBuiltForTheseManifests() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);
    assertThat(dockerfile)
        .containsPattern("(?m)^FROM eclipse-temurin:17-jre")
        .containsPattern("(?m)^COPY target/scoregate\\.jar /app/scoregate\\.jar$")
        .containsPattern("(?m)^EXPOSE " + httpPort() + "$")
        .containsPattern("(?m)^ENTRYPOINT \\[\"java\", \"-jar\", \"/app/scoregate\\.jar\"\\]$")
        .containsPattern("(?m)^CMD \\[\"serve\"\\]$");
    Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(dockerfile);
    assertThat(user.find()).as("a numeric USER in the Dockerfile").isTrue();
    int uid = Integer.parseInt(user.group(1));
    assertThat(uid).as("the image's user").isPositive();

    Set<String> images = new TreeSet<>();
    for (Pod pod : pods()) {
      JsonNode runAs = pod.spec().path("securityContext").path("runAsUser");
      if (!runAs.isMissingNode()) {
        assertThat(runAs.asInt()).as("%s: runAsUser", pod.owner().file()).isEqualTo(uid);
      }
      pod.containers().forEach(c -> images.add(c.path("image").asText()));
    }
    assertThat(images).as("one image for every workload").hasSize(1);
  }

  // --- the manifests -----------------------------------------------------------------------

  private static Manifest one(String kind) {
    List<Manifest> found = manifests.stream().filter(m -> m.kind().equals(kind)).toList();
    assertThat(found).as("manifests of kind %s", kind).hasSize(1);
    return found.get(0);
  }

  private static JsonNode gatewayDeployment() {
    return one("Deployment").doc();
  }

  private static Pod gatewayPod() {
    return pods().stream()
        .filter(p -> p.owner().kind().equals("Deployment"))
        .findFirst()
        .orElseThrow();
  }

  private static JsonNode gatewayContainer() {
    JsonNode containers = gatewayPod().spec().path("containers");
    assertThat(containers.size()).as("containers of the Deployment").isEqualTo(1);
    return containers.get(0);
  }

  /** The pod templates of every Deployment, Job and CronJob. */
  private static List<Pod> pods() {
    List<Pod> pods = new ArrayList<>();
    for (Manifest m : manifests) {
      JsonNode template =
          switch (m.kind()) {
            case "Deployment", "Job" -> m.doc().path("spec").path("template");
            case "CronJob" ->
                m.doc().path("spec").path("jobTemplate").path("spec").path("template");
            default -> null;
          };
      if (template != null) {
        pods.add(new Pod(m, template.path("spec"), template.path("metadata").path("labels")));
      }
    }
    return pods;
  }

  /** The variables a container gets: envFrom ConfigMaps first, then env (null when valueFrom). */
  private static Map<String, String> effectiveEnv(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      JsonNode ref = from.path("configMapRef");
      if (ref.isMissingNode()) {
        continue;
      }
      String prefix = from.path("prefix").asText("");
      Manifest configMap =
          manifests.stream()
              .filter(
                  m -> m.kind().equals("ConfigMap") && m.name().equals(ref.path("name").asText()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ConfigMap " + ref.path("name").asText()));
      configMap
          .doc()
          .path("data")
          .fields()
          .forEachRemaining(e -> env.put(prefix + e.getKey(), e.getValue().asText()));
    }
    for (JsonNode e : container.path("env")) {
      env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : null);
    }
    return env;
  }

  private static boolean labelsMatch(JsonNode selector, JsonNode labels) {
    if (selector.isMissingNode() || selector.size() == 0) {
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> entries = selector.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> e = entries.next();
      if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  private static int namedPort(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    return fail("no container port named " + name);
  }

  /** A port given by number or by the name of a container port. */
  private static int resolvePort(JsonNode port, JsonNode container) {
    if (port.isInt()) {
      return port.asInt();
    }
    assertThat(port.asText()).as("port").isNotBlank();
    return port.asText().matches("\\d+")
        ? Integer.parseInt(port.asText())
        : namedPort(container, port.asText());
  }

  /** Where a file path in a container comes from: "configMapName/key", or null. */
  private static String mountedConfigMapKey(Pod pod, JsonNode container, String file) {
    for (JsonNode mount : container.path("volumeMounts")) {
      String dir = mount.path("mountPath").asText();
      if (!file.startsWith(dir + "/")) {
        continue;
      }
      String relative = file.substring(dir.length() + 1);
      for (JsonNode volume : pod.spec().path("volumes")) {
        JsonNode configMap = volume.path("configMap");
        if (!volume.path("name").asText().equals(mount.path("name").asText())
            || configMap.isMissingNode()) {
          continue;
        }
        if (!configMap.has("items")) {
          return configMap.path("name").asText() + "/" + relative;
        }
        for (JsonNode item : configMap.path("items")) {
          if (item.path("path").asText().equals(relative)) {
            return configMap.path("name").asText() + "/" + item.path("key").asText();
          }
        }
      }
    }
    return null;
  }

  /** Seconds of `sleep N` in an exec preStop hook, or of the native sleep action. */
  private static double preStopSleepSeconds(JsonNode preStop) {
    if (preStop.path("sleep").has("seconds")) {
      return preStop.path("sleep").path("seconds").asDouble();
    }
    List<String> command = new ArrayList<>();
    preStop.path("exec").path("command").forEach(c -> command.add(c.asText()));
    Matcher sleep =
        Pattern.compile("(?:^|\\s|/)sleep\\s+(\\d+(?:\\.\\d+)?)")
            .matcher(String.join(" ", command));
    return sleep.find() ? Double.parseDouble(sleep.group(1)) : 0;
  }

  // --- the configuration -------------------------------------------------------------------

  private static int httpPort() {
    return Integer.parseInt(setting(effectiveEnv(gatewayContainer()), "http.port"));
  }

  /** A key's value as a container sees it: its variable if set, else config/application.yaml. */
  private static String setting(Map<String, String> env, String key) {
    String fromEnv = env.get(variable(key));
    if (fromEnv != null) {
      return fromEnv;
    }
    JsonNode node = config.at("/" + key.replace('.', '/'));
    assertThat(node.isValueNode()).as("%s in config/application.yaml", key).isTrue();
    return node.asText();
  }

  /**
   * ConfigLoader's naming rule for an object key path: http.shutdownGraceMs -> SCOREGATE_HTTP_...
   */
  private static String variable(String key) {
    StringBuilder name = new StringBuilder("SCOREGATE");
    for (String part : key.split("\\.")) {
      name.append('_').append(ConfigLoader.upperSnake(part));
    }
    return name.toString();
  }

  /** Every variable ConfigLoader reads: one per leaf, list items by index. */
  /** GATEWAY_GC_OPTS of scripts/lib/gateway-jvm.sh, the flags every script starts the JVM with. */
  private static String gatewayGcOptions() {
    try {
      Matcher m =
          Pattern.compile("(?m)^GATEWAY_GC_OPTS=\"([^\"]+)\"$")
              .matcher(Files.readString(ROOT.resolve("scripts/lib/gateway-jvm.sh")));
      assertThat(m.find()).as("GATEWAY_GC_OPTS in scripts/lib/gateway-jvm.sh").isTrue();
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void leafVariables(JsonNode node, String prefix, Set<String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e ->
                  leafVariables(
                      e.getValue(), prefix + "_" + ConfigLoader.upperSnake(e.getKey()), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        leafVariables(node.get(i), prefix + "_" + i, out);
      }
    } else {
      out.add(prefix);
    }
  }
}
