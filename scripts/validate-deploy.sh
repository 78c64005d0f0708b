#!/usr/bin/env bash
# Validates every deployment artifact with the real tools, offline once they are installed,
# and prints a table: file -> validator -> result. Run by scripts/test.sh (so by CI).
#
#   - generated copies (compose/k8s Envoy bootstraps, k8s routing.yaml) in sync with the
#     originals: scripts/deploy/gen_configs.py --check
#   - every file that names a pinned version (compose, kustomize tags, docs) agrees with
#     versions.env: scripts/deploy/check_versions.py
#   - every Envoy config we ship: `envoy --mode validate` with the real Envoy (versions.env)
#     (envoy/envoy.yaml, envoy/examples/*.yaml, the compose copy, the k8s ConfigMap as
#     rendered, and each Istio EnvoyFilter's patches wrapped into a bootstrap by
#     scripts/deploy/envoyfilter_bootstrap.py, which also checks them against envoy.yaml)
#   - k8s/ and k8s/istio render with kustomize (what `kubectl apply -k` / `kubectl kustomize`
#     run), and the output passes `kubeconform -strict`: Kubernetes schemas from the PyPI
#     package kubernetes-validate, Istio and Prometheus Operator CRDs (from the Go module
#     proxy) turned into schemas by kubeconform's own scripts/openapi2jsonschema.py (from the
#     kubeconform module at the pinned version)
#   - what schemas cannot see in the rendered manifests: selectors, named ports, Envoy and
#     pools.yaml addresses, Istio subsets (scripts/deploy/check_refs.py)
#   - docker-compose.yml against the compose-spec schema from compose-go (Go module proxy),
#     with Python jsonschema: scripts/deploy/check_compose.py, once per way it is run: the
#     default stack, `--profile llm` (the Ollama LLM gateway), and `--profile llm` with
#     deploy/compose/llm.yaml (Ollama as the classifier's LLM tier)
#   - k8s/istio and its sidecar overlay, rendered, pass Istio's own analyzers offline:
#     `istioctl analyze --use-kube=false` (istioctl from istio.io/istio at ISTIO_VERSION)
#   - each routing.yaml declares the same pools and default as the pools.yaml deployed with it:
#     `xds-server.jar check-pools` (config/, compose, compose profile llm, k8s;
#     config/examples/<x>.yaml against config/examples/<x>-pools.yaml when that exists)
#
# Tools are pinned below and installed into .tools/ (git-ignored) on first use; needs Go,
# Python 3 with pip, and network access to PyPI and the Go module proxy the first time. If a
# tool cannot be had, this fails; it never skips a check. Outputs: target/validate-deploy/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Versions come from versions.env (the one pin file).
source "$root/scripts/lib/versions.sh"
ENVOY_VERSION="$(pinned ENVOY_VERSION)"                  # the Envoy the tests use (scripts/install-envoy.sh)
KUBECONFORM_VERSION="$(pinned KUBECONFORM_VERSION)"      # github.com/yannh/kubeconform
KUSTOMIZE_VERSION="$(pinned KUSTOMIZE_VERSION)"          # sigs.k8s.io/kustomize/kustomize/v5
K8S_VALIDATE_VERSION="$(pinned K8S_VALIDATE_VERSION)"    # PyPI kubernetes-validate: bundles Kubernetes JSON schemas
K8S_SCHEMA_VERSION="$(pinned K8S_SCHEMA_VERSION)"        # ... of this Kubernetes version
ISTIO_API_VERSION="$(pinned ISTIO_API_VERSION)"          # istio.io/api: kubernetes/customresourcedefinitions.gen.yaml
PROM_OPERATOR_VERSION="$(pinned PROM_OPERATOR_VERSION)"  # prometheus-operator: ServiceMonitor CRD
COMPOSE_GO_VERSION="$(pinned COMPOSE_GO_VERSION)"        # github.com/compose-spec/compose-go/v2: schema/compose-spec.json
ISTIO_VERSION="$(pinned ISTIO_VERSION)"                  # istio.io/istio: istioctl (analyze)
PY_PACKAGES=("jsonschema==$(pinned JSONSCHEMA_VERSION)" "PyYAML==$(pinned PYYAML_VERSION)")

tools="$root/.tools"
out="$root/target/validate-deploy"
export GOMODCACHE="$tools/gomod" GOFLAGS=-modcacherw   # Go downloads stay in .tools/ too
export GOCACHE="$tools/gocache"   # shared with scripts/install-istio-verify.sh (istioctl and the harness share most packages)

fail() { echo "validate-deploy: $*" >&2; exit 1; }
log() { echo "validate-deploy: $*" >&2; }

# ---- tools ---------------------------------------------------------------------------

command -v go >/dev/null 2>&1 || fail "Go is needed (kubeconform, kustomize and schemas come from the Go module proxy)"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

go_tool() {  # name package version: installs .tools/bin/<name> at exactly that module version
  local name="$1" pkg="$2" version="$3" bin="$tools/bin/$1"
  if [[ ! -x "$bin" ]] || ! go version -m "$bin" 2>/dev/null | grep -q "[[:space:]]${version}[[:space:]]"; then
    log "installing $name $version into .tools/bin"
    GOBIN="$tools/bin" go install "$pkg@$version" >&2 || fail "could not install $pkg@$version"
  fi
  echo "$bin"
}

go_module_dir() {  # module version: downloads (checksum-verified) and prints its directory
  local dir
  dir="$(go mod download -json "$1@$2" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("Dir", ""))')" \
    || fail "could not download Go module $1@$2"
  [[ -d "$dir" ]] || fail "Go module $1@$2 has no directory"
  echo "$dir"
}

kubeconform="$(go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION")"
kustomize="$(go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION")"
istioctl="$(go_tool istioctl istio.io/istio/istioctl/cmd/istioctl "$ISTIO_VERSION")"

envoy="$(scripts/install-envoy.sh)" || fail "no Envoy binary"
# Read whole, then matched (`--version | grep -q` under pipefail can fail on SIGPIPE).
envoy_version="$("$envoy" --version 2>&1)" || fail "$envoy --version failed: $envoy_version"
[[ "$envoy_version" == *"/$ENVOY_VERSION/"* ]] \
  || fail "$envoy is not Envoy $ENVOY_VERSION (unset ENVOY_BIN / take envoy off PATH to use the pinned one): $envoy_version"

export PYTHONPATH="$tools/python${PYTHONPATH:+:$PYTHONPATH}"
py_pinned() {
  python3 - "${PY_PACKAGES[@]}" <<'EOF' 2>/dev/null
import importlib.metadata as m, sys
sys.exit(any(m.version(p.split("==")[0]) != p.split("==")[1] for p in sys.argv[1:]))
EOF
}
if ! py_pinned; then
  log "installing ${PY_PACKAGES[*]} into .tools/python"
  python3 -m pip install --quiet --disable-pip-version-check --upgrade --target "$tools/python" "${PY_PACKAGES[@]}" >&2 \
    || fail "pip could not install ${PY_PACKAGES[*]}"
  py_pinned || fail "${PY_PACKAGES[*]} still not importable from .tools/python"
fi

k8s_schemas="$tools/schemas/kubernetes-v$K8S_SCHEMA_VERSION-strict"
if [[ ! -f "$k8s_schemas/_definitions.json" ]]; then
  kv="$tools/kubernetes-validate-$K8S_VALIDATE_VERSION"
  if [[ ! -d "$kv/kubernetes_validate" ]]; then
    log "installing kubernetes-validate==$K8S_VALIDATE_VERSION (its schemas) into .tools"
    python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$kv" \
        "kubernetes-validate==$K8S_VALIDATE_VERSION" >&2 \
      || fail "pip could not install kubernetes-validate==$K8S_VALIDATE_VERSION"
  fi
  rm -rf "$k8s_schemas"
  python3 scripts/deploy/k8s_schemas.py \
      "$kv/kubernetes_validate/kubernetes-json-schema/v$K8S_SCHEMA_VERSION-local-strict" "$k8s_schemas" >&2 \
    || fail "no Kubernetes $K8S_SCHEMA_VERSION schemas in kubernetes-validate==$K8S_VALIDATE_VERSION"
fi

# CRD schemas: kubeconform's openapi2jsonschema.py, as its README shows. Objects with declared
# properties get additionalProperties: false; the root stays open (it does not declare
# apiVersion, kind and metadata). File names: <group>-<kind>_<version>.json.
crd_schemas="$tools/schemas/crds-istio-$ISTIO_API_VERSION-prom-$PROM_OPERATOR_VERSION-openapi2jsonschema-$KUBECONFORM_VERSION"
if [[ ! -d "$crd_schemas" ]]; then
  istio_crds="$(go_module_dir istio.io/api "$ISTIO_API_VERSION")/kubernetes/customresourcedefinitions.gen.yaml"
  prom_crd="$(go_module_dir github.com/prometheus-operator/prometheus-operator "$PROM_OPERATOR_VERSION")/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"
  openapi2jsonschema="$(go_module_dir github.com/yannh/kubeconform "$KUBECONFORM_VERSION")/scripts/openapi2jsonschema.py"
  [[ -f "$openapi2jsonschema" ]] || fail "kubeconform $KUBECONFORM_VERSION has no scripts/openapi2jsonschema.py"
  rm -rf "$crd_schemas.tmp"; mkdir -p "$crd_schemas.tmp"
  (cd "$crd_schemas.tmp" && FILENAME_FORMAT='{fullgroup}-{kind}_{version}' \
      python3 "$openapi2jsonschema" "$istio_crds" "$prom_crd" >/dev/null) || fail "could not convert the CRDs"
  compgen -G "$crd_schemas.tmp/*.json" >/dev/null || fail "openapi2jsonschema.py wrote no schemas"
  mv "$crd_schemas.tmp" "$crd_schemas"
fi

compose_schema="$(go_module_dir github.com/compose-spec/compose-go/v2 "$COMPOSE_GO_VERSION")/schema/compose-spec.json"
[[ -f "$compose_schema" ]] || fail "compose-go $COMPOSE_GO_VERSION has no schema/compose-spec.json"

# ---- checks --------------------------------------------------------------------------

rm -rf "$out"
mkdir -p "$out/rendered" "$out/envoyfilter"
results=()
failed=0
check() {  # file validator command...: runs the command, records the result
  local file="$1" validator="$2" log_file
  shift 2
  log_file="$out/$(echo "$file-$validator" | tr -c 'A-Za-z0-9.-' '_').log"
  if "$@" >"$log_file" 2>&1; then
    results+=("$file|$validator|ok")
  else
    results+=("$file|$validator|FAIL")
    failed=$((failed + 1))
    echo "---- FAIL: $file ($validator):" >&2
    tail -n 30 "$log_file" >&2
  fi
}

check "compose + k8s copies" "gen_configs.py --check" python3 scripts/deploy/gen_configs.py --check
check "versions.env" "check_versions.py (compose, k8s, docs, package.json)" python3 scripts/deploy/check_versions.py

envoy_validate() { "$envoy" --mode validate -c "$1" --log-level warn; }
for f in envoy/envoy.yaml envoy/examples/*.yaml deploy/compose/envoy.yaml deploy/compose/envoy-llm.yaml; do
  check "$f" "envoy $ENVOY_VERSION --mode validate" envoy_validate "$f"
done

kubeconform_check() {
  "$kubeconform" -strict -summary \
    -schema-location "$k8s_schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "$crd_schemas/{{ .Group }}-{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" "$1"
}
kustomize_build() { "$kustomize" build "$1" >"$2"; }
kustomizations=(k8s k8s/overlays/prometheus-operator k8s/istio k8s/overlays/istio-sidecar-outbound)
for k in "${kustomizations[@]}"; do
  rendered="$out/rendered/$(echo "$k" | tr / _).yaml"
  check "$k/" "kustomize $KUSTOMIZE_VERSION build" kustomize_build "$k" "$rendered"
  check "$k/" "kubeconform -strict (k8s $K8S_SCHEMA_VERSION, CRDs)" kubeconform_check "$rendered"
  check "$k/" "check_refs.py (selectors, ports, subsets)" python3 scripts/deploy/check_refs.py "$rendered"
done

# The Envoy bootstrap as Kubernetes mounts it: the rendered ConfigMap's envoy.yaml.
configmap_envoy() {
  python3 - "$out/rendered/k8s.yaml" "$out/k8s-configmap-envoy.yaml" <<'EOF'
import sys, yaml
maps = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "ConfigMap"
        and d["metadata"]["name"].startswith("envoy-config")]
assert len(maps) == 1, f"expected one envoy-config ConfigMap, found {len(maps)}"
open(sys.argv[2], "w").write(maps[0]["data"]["envoy.yaml"])
EOF
  envoy_validate "$out/k8s-configmap-envoy.yaml"
}
check "k8s/envoy (ConfigMap envoy-config)" "envoy $ENVOY_VERSION --mode validate" configmap_envoy

# Istio: each EnvoyFilter's patches as a bootstrap, checked against envoy/envoy.yaml first.
envoyfilters() {
  python3 scripts/deploy/envoyfilter_bootstrap.py envoy/envoy.yaml "$out/envoyfilter" \
      "$out/rendered/k8s_istio.yaml" "$out/rendered/k8s_overlays_istio-sidecar-outbound.yaml" || return 1
  local f
  for f in "$out"/envoyfilter/*.yaml; do envoy_validate "$f" || return 1; done
}
check "k8s/istio EnvoyFilters (gateway, sidecar)" "sync with envoy.yaml + envoy validate" envoyfilters

# Istio's own analyzers, offline, on what `kubectl apply -k` applies (all namespaces: the
# EnvoyFilter is in istio-system). Errors fail (exit 79); warnings are printed in the log, e.g.
# IST0133 (EnvoyFilter is a break-glass API) and IST0151 (relative patch without priority: ours
# are relative to the router, which every HTTP chain has).
istio_analyze() { "$istioctl" analyze --use-kube=false --all-namespaces "$1"; }
for k in k8s/istio k8s/overlays/istio-sidecar-outbound; do
  check "$k/" "istioctl analyze --use-kube=false" istio_analyze "$out/rendered/$(echo "$k" | tr / _).yaml"
done

check docker-compose.yml "compose-spec ($COMPOSE_GO_VERSION) + refs" \
  python3 scripts/deploy/check_compose.py "$compose_schema" docker-compose.yml
check "docker-compose.yml --profile llm" "compose-spec + refs, profile llm" \
  python3 scripts/deploy/check_compose.py "$compose_schema" --profile llm docker-compose.yml
check "docker-compose.yml + deploy/compose/llm.yaml" "compose-spec + refs, profile llm" \
  python3 scripts/deploy/check_compose.py "$compose_schema" --profile llm docker-compose.yml deploy/compose/llm.yaml

# The pools each routing.yaml routes to against the pools.yaml served beside it (PoolListCheck),
# with xds-server's own `check-pools` command. Its jar is built here when missing or older than
# its sources (this script runs before the Maven build in scripts/test.sh).
xds_jar=xds-server/target/xds-server.jar
xds_jar_fresh() {
  [[ -f "$xds_jar" ]] && [[ -z "$(find xds-server/src config-support/src xds-server/pom.xml config-support/pom.xml \
      -newer "$xds_jar" -print -quit)" ]]
}
if ! xds_jar_fresh; then
  log "building $xds_jar (for check-pools)"
  ./mvnw -q -B package -pl xds-server -am -DskipTests >&2 || fail "could not build $xds_jar"
fi
check_pools() { java -jar "$xds_jar" check-pools --routing "$1" --pools "$2"; }
# routing file -> the pools file deployed with it. A routing file without one (an example such
# as config/examples/llm-models.yaml, whose pools name no endpoints yet) has no row; its pools
# file, once written, goes next to it as <name>-pools.yaml and is picked up here.
pool_pairs=(
  "config/routing.yaml config/pools.yaml"
  "config/routing.yaml deploy/compose/pools.yaml"
  "config/examples/llm-models.yaml deploy/compose/llm-pools.yaml"
  "k8s/ext-proc-service/routing.yaml k8s/xds-server/pools.yaml"
)
for routing in config/examples/*.yaml; do
  [[ "$routing" == *-pools.yaml ]] && continue
  pools="${routing%.yaml}-pools.yaml"
  if [[ -f "$pools" ]]; then
    pool_pairs+=("$routing $pools")
  else
    log "$routing: no ${pools##*/} beside it; its pools are not checked against a pools file"
  fi
done
for pair in "${pool_pairs[@]}"; do
  read -r routing pools <<<"$pair"
  check "$routing + $pools" "xds-server check-pools (same pools, default)" check_pools "$routing" "$pools"
done

# ---- summary -------------------------------------------------------------------------

echo
printf '%-46s %-50s %s\n' "file" "validator" "result"
printf '%-46s %-50s %s\n' "----" "---------" "------"
for r in "${results[@]}"; do
  IFS='|' read -r file validator result <<<"$r"
  printf '%-46s %-50s %s\n' "$file" "$validator" "$result"
done
echo
if ((failed > 0)); then
  echo "validate-deploy: $failed check(s) failed (logs: target/validate-deploy/)" >&2
  exit 1
fi
echo "validate-deploy: all ${#results[@]} checks passed"
