// Offline schema checks of what an operator deploys, run by validate.sh (and so by .ci/run):
//   node validate.mjs <rendered-k8s.yaml>... -- <compose.yaml>
// Kubernetes objects are checked by kubernetes-models (JSON schemas generated from the
// Kubernetes OpenAPI document, and the Prometheus Operator's CRDs for the ServiceMonitor); the
// compose file by the compose-spec JSON schema. Unknown kinds fail: a manifest nothing checks
// is what this is here to prevent.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const args = process.argv.slice(2);
const split = args.indexOf("--");
const manifests = split < 0 ? args : args.slice(0, split);
const composeFiles = split < 0 ? [] : args.slice(split + 1);
let failures = 0;
let checked = 0;

function fail(where, message) {
  failures++;
  console.error(`FAIL ${where}: ${message}`);
}

// What the schemas cannot say: the pod outlives Spring's graceful shutdown, and the probes ask
// the Actuator's groups.
const SHUTDOWN_PHASE_SECONDS = 30; // spring.lifecycle.timeout-per-shutdown-phase, Boot's default
function checkDeployment(where, d) {
  const pod = d.spec.template.spec;
  const c = pod.containers[0];
  const preStop = c.lifecycle?.preStop?.exec?.command;
  const preStopSeconds = preStop?.[0] === "sleep" ? Number(preStop[1]) : 0;
  if (!(pod.terminationGracePeriodSeconds > preStopSeconds + SHUTDOWN_PHASE_SECONDS)) {
    fail(where, `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} is not above preStop `
      + `${preStopSeconds}s + shutdown phase ${SHUTDOWN_PHASE_SECONDS}s`);
  }
  if (c.livenessProbe?.httpGet?.path !== "/actuator/health/liveness") fail(where, "liveness probe path");
  if (c.readinessProbe?.httpGet?.path !== "/actuator/health/readiness") fail(where, "readiness probe path");
  if (!c.resources?.limits?.memory || !c.resources?.requests?.cpu) fail(where, "resources");
}

// apps/v1 Deployment -> kubernetes-models/apps/v1/Deployment; v1 Service -> kubernetes-models/v1/Service
async function modelFor(apiVersion, kind) {
  const path = apiVersion.startsWith("monitoring.coreos.com/")
    ? `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`
    : `kubernetes-models/${apiVersion}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch (e) {
    return null;
  }
}

for (const file of manifests) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) { fail(file, doc.errors.join("; ")); continue; }
    const obj = doc.toJSON();
    if (obj == null) continue;
    const where = `${file} ${obj.kind}/${obj.metadata?.name}`;
    const Model = await modelFor(obj.apiVersion, obj.kind);
    if (!Model) { fail(where, `no schema for ${obj.apiVersion} ${obj.kind}`); continue; }
    try {
      new Model(obj).validate();
      if (obj.kind === "Deployment") checkDeployment(where, obj);
      checked++;
      console.log(`ok   ${where}`);
    } catch (e) {
      fail(where, e.message);
    }
  }
}

// The compose-spec schema (draft-07) as the dclint package ships it, current with Docker Compose.
const ajv = new Ajv({ strict: false, allErrors: true });
const composeSchema = JSON.parse(readFileSync(
  new URL("./node_modules/dclint/schemas/compose.schema.json", import.meta.url), "utf8"));
// Its $schema is https://, Ajv's copy of draft-07 is registered under http://.
delete composeSchema.$schema;
const validateCompose = ajv.compile(composeSchema);
for (const file of composeFiles) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  if (docs.length !== 1 || docs[0].errors.length) { fail(file, "not one YAML document"); continue; }
  if (validateCompose(docs[0].toJSON())) {
    checked++;
    console.log(`ok   ${file} (compose-spec)`);
  } else {
    fail(file, ajv.errorsText(validateCompose.errors, { separator: "\n  " }));
  }
}

console.log(`${checked} passed, ${failures} failed`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
