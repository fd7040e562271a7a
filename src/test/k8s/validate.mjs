// Validates rendered Kubernetes documents against their kinds' schemas, offline: core kinds with
// kubernetes-models, ServiceMonitor and PrometheusRule with @kubernetes-models/prometheus-operator
// (both pinned by package-lock.json). Run by io.ordersvc.deploy.ManifestsTest:
//   node validate.mjs documents.json
// documents.json: [{"source": "...", "document": {...}}, ...]. Prints one JSON line per document:
// {"source", "apiVersion", "kind", "name", "schema": "kubernetes-models/..." | null, "errors": [...]}.
// A kind neither package models gets "schema": null: the Java side checks it (operators' kinds) or
// fails. Exit code 0 whenever every document was looked at; the verdict is the test's.
import { readFileSync } from "node:fs";

const PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

async function modelOf(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const path = `${PACKAGES[group] ?? "kubernetes-models"}/${apiVersion}`;
  let module;
  try {
    module = await import(path);
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      return null;
    }
    throw e;
  }
  return module[kind] ? { path: `${path} ${kind}`, model: module[kind] } : null;
}

function messages(error) {
  // kubernetes-models throws an error whose `errors` are Ajv's: say where and what
  if (Array.isArray(error.errors) && error.errors.length > 0) {
    return error.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`);
  }
  return [String(error.message ?? error)];
}

const documents = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const { source, document } of documents) {
  const { apiVersion, kind } = document;
  const found = await modelOf(apiVersion, kind);
  const result = { source, apiVersion, kind, name: document.metadata?.name, schema: found?.path ?? null, errors: [] };
  if (found) {
    try {
      new found.model(document).validate();
    } catch (e) {
      result.errors = messages(e);
    }
  }
  console.log(JSON.stringify(result));
}
