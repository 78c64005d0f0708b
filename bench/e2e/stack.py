"""Starts and stops the processes of one benchmark run: workers, xds-server, ext-proc-service
and Envoy (the shipped bootstrap, and a baseline variant without semlb), on free loopback ports.
Every process is started here and stopped here; nothing is left running.

One of three ways the stack is started, on purpose: the ITs run the services inside the test
JVM (e2e-tests SemlbStack; their assertions reach into the running objects, and they kill and
restart parts), the bench runs each as its own process from the shipped jars so CPU time and
memory can be measured per process, and scripts/run-local.sh runs the shipped configuration
verbatim on its well-known ports with the dashboard."""

import importlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAVA_OPTS = ["-XX:+UseSerialGC", "-Xmx512m"]
TOOLS_PYTHON = os.path.join(ROOT, ".tools", "python")


def pinned(name):
    """NAME's version from versions.env, the one pin file."""
    for line in open(os.path.join(ROOT, "versions.env")):
        key, _, value = line.strip().partition("=")
        if key == name and value:
            return value
    raise SystemExit(f"versions.env: no {name}")


def python_package(module, package, pin):
    """Imports `module`; if missing, installs `package`==versions.env's `pin` into .tools/python first."""
    if TOOLS_PYTHON not in sys.path:
        sys.path.append(TOOLS_PYTHON)
    try:
        return importlib.import_module(module)
    except ImportError:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
                TOOLS_PYTHON,
                f"{package}=={pinned(pin)}",
            ],
            check=True,
        )
        importlib.invalidate_caches()
        return importlib.import_module(module)


yaml = python_package("yaml", "PyYAML", "PYYAML_VERSION")


# One worker per pool, answering at once: the layout of the overhead, overload and feedback runs.
ONE_PER_POOL = [("general", "g1"), ("high-compute", "h1"), ("fast-path", "f1")]
ONE_PER_POOL_POOLS = {pool: [wid] for pool, wid in ONE_PER_POOL}


def get_json(port, path):
    """GET http://127.0.0.1:<port><path> as JSON (the admin APIs, Envoy's admin)."""
    return json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def set_ports(node, ports, seen):
    """Replaces every port_value found in `ports` (old -> new) anywhere under `node`; counts them in `seen`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "port_value" and value in ports:
                node[key] = ports[value]
                seen[value] = seen.get(value, 0) + 1
            else:
                set_ports(value, ports, seen)
    elif isinstance(node, list):
        for item in node:
            set_ports(item, ports, seen)


def envoy_config(ports, baseline, feedback=True, usage=True):
    """The shipped bootstrap with free ports; baseline: ext_proc and the pool-header strip removed,
    so Envoy routes on a client-set x-semantic-pool through the same listener and clusters;
    feedback=False: the cost-feedback access log removed (to measure what it costs); feedback="every":
    the log keeps every request a native route decided instead of 1 in 100 (to measure what the
    sampling buys; the weight tag is set to 1 to match); usage=False:
    the LLM usage observer (semlb.llm_usage) removed, likewise."""
    config = yaml.safe_load(open(os.path.join(ROOT, "envoy/envoy.yaml")))
    seen = {}
    set_ports(config, ports, seen)
    for old in ports:
        if seen.get(old) != 1:
            raise SystemExit(
                f"loadbench: 'port_value: {old}' is in envoy/envoy.yaml {seen.get(old, 0)} times (expected: once)"
            )
    hcms = [
        f["typed_config"]
        for listener in config["static_resources"]["listeners"]
        for chain in listener["filter_chains"]
        for f in chain["filters"]
        if f["name"] == "envoy.filters.network.http_connection_manager"
    ]
    if len(hcms) != 1:
        raise SystemExit(f"loadbench: envoy/envoy.yaml has {len(hcms)} HTTP connection managers (expected: one)")
    hcm = hcms[0]
    if feedback == "every":
        log = next(a for a in hcm.get("access_log", []) if a["name"] == "envoy.access_loggers.http_grpc")
        log["filter"] = {"header_filter": {"header": {"name": "x-semantic-pool", "present_match": True}}}
        tags = log["typed_config"]["common_config"]["custom_tags"]
        if len(tags) != 1:
            raise SystemExit("loadbench: envoy/envoy.yaml's access log has no single weight tag (expected: one)")
        tags[0]["literal"]["value"] = "1"
    if baseline or not feedback:
        logs = [a for a in hcm.get("access_log", []) if a["name"] != "envoy.access_loggers.http_grpc"]
        if len(logs) != len(hcm.get("access_log", [])) - 1:
            raise SystemExit(
                "loadbench: envoy/envoy.yaml has no http_grpc access log (the bench must follow its shape)"
            )
        hcm["access_log"] = logs
    if not usage:
        filters = [f for f in hcm["http_filters"] if f["name"] != "semlb.llm_usage"]
        if len(filters) != len(hcm["http_filters"]) - 1:
            raise SystemExit(
                "loadbench: envoy/envoy.yaml has no semlb.llm_usage filter (the bench must follow its shape)"
            )
        hcm["http_filters"] = filters
    if baseline:
        filters = [f for f in hcm["http_filters"] if f["name"] != "envoy.filters.http.ext_proc"]
        if len(filters) != len(hcm["http_filters"]) - 1 or "early_header_mutation_extensions" not in hcm:
            raise SystemExit(
                "loadbench: envoy/envoy.yaml has no ext_proc filter or no early_header_mutation_extensions "
                "(the bench must follow its shape)"
            )
        hcm["http_filters"] = filters
        del hcm["early_header_mutation_extensions"]
    return yaml.safe_dump(config, sort_keys=False)


def ext_proc_counters(admin_port):
    """Envoy's ext_proc counters (http.semlb.ext_proc.*), by their last name."""
    stats = get_json(admin_port, "/stats?format=json&filter=ext_proc")["stats"]
    return {x["name"].rsplit(".", 1)[1]: x["value"] for x in stats if "value" in x}


class Stack:
    """One set of running processes; use as a context manager."""

    ENVOYS = {
        "baseline": (True, False, True),
        "semlb": (False, True, True),
        "semlb-nofeedback": (False, False, True),
        "semlb-logall": (False, "every", True),
        "semlb-nousage": (False, True, False),
        "envoy-only": (True, False, False),
        "semlb-native": (False, True, True),
        "semlb-native-first": (False, True, True),
        "semlb-twin": (False, True, True),
    }

    def __init__(
        self,
        workdir,
        envoy_bin,
        workers,
        pools,
        worker_args=(),
        extproc_admin=False,
        routing="config/routing.yaml",
        envoys=("baseline", "semlb"),
        xds_routing=False,
        pool_models=None,
        model_workers=False,
        envoy_xds_routing=None,
    ):
        """envoys: which Envoys to start, each on its own listener (url(name)): `baseline` (no semlb),
        `semlb` (the shipped bootstrap), `semlb-nofeedback` (the shipped one without the cost-feedback
        access log), `semlb-logall` (the shipped one logging every native-route request instead of
        1 in 100), `semlb-nousage` (the shipped one without the LLM usage observer), `envoy-only` (the baseline without
        the usage observer either: no semlb filter at all); routing: the
        routing file ext-proc-service reads (and xds-server too with xds_routing, which turns its
        rules that Envoy can decide into native routes); pool_models: pool -> model, written into the
        pools file and passed to ext-proc-service (--pools), for demo model workers (LLM gateway);
        model_workers: each worker of such a pool serves that pool's model (--llm-model);
        envoy_xds_routing: Envoy name -> routing file: that Envoy gets its own xds-server, started
        with the file (--routing, native routes), so one stack can hold Envoys with and without
        native routes side by side (`semlb-native`, `semlb-native-first` are the shipped bootstrap
        meant for this); `semlb-twin`: the shipped bootstrap again, an A/A control beside `semlb`."""
        self.workdir = workdir
        self.envoy_bin = envoy_bin
        self.worker_specs = workers  # list of (pool, id)
        self.pools = pools  # pool -> list of worker ids
        self.worker_args = list(worker_args)
        self.procs = []
        self.ports = {}
        self.extproc_admin = extproc_admin
        self.routing = routing
        self.envoys = envoys
        self.xds_routing = xds_routing
        self.pool_models = pool_models or {}
        self.model_workers = model_workers
        self.envoy_xds_routing = envoy_xds_routing or {}

    def __enter__(self):
        try:
            return self._start_all()
        except BaseException:
            self.__exit__()  # what started before the failure must not be left running
            raise

    def _start_all(self):
        os.makedirs(self.workdir, exist_ok=True)
        worker_ports = {}
        for pool, wid in self.worker_specs:
            port = free_port()
            worker_ports[wid] = port
            model = ["--llm-model", self.pool_models[pool]] if self.model_workers and pool in self.pool_models else []
            self._java(
                f"worker-{wid}",
                "workers/target/worker.jar",
                ["--host", "127.0.0.1", "--pool", pool, "--port", str(port), "--id", wid] + model + self.worker_args,
            )
        pools_yaml = yaml.safe_dump(
            {
                "pools": [
                    {"name": pool, "endpoints": [f"127.0.0.1:{worker_ports[w]}" for w in ids]}
                    | ({"model": self.pool_models[pool]} if pool in self.pool_models else {})
                    for pool, ids in self.pools.items()
                ]
            },
            sort_keys=False,
        )
        pools_file = os.path.join(self.workdir, "pools.yaml")
        open(pools_file, "w").write(pools_yaml)
        xds, extproc = free_port(), free_port()
        self._xds("xds-server", xds, pools_file, self.routing if self.xds_routing else None)
        envoy_xds = {}
        for name, routing in self.envoy_xds_routing.items():
            envoy_xds[name] = free_port()
            self._xds(f"xds-server-{name}", envoy_xds[name], pools_file, routing)
        admin_port = free_port() if self.extproc_admin else -1
        self.ports["extproc-admin"] = admin_port
        self._java(
            "ext-proc-service",
            "ext-proc-service/target/ext-proc-service.jar",
            [
                "--host",
                "127.0.0.1",
                "--port",
                str(extproc),
                "--routing",
                self.routing,
                "--watch",
                "false",
                "--admin-port",
                str(admin_port),
            ]
            + (["--pools", pools_file] if self.pool_models else []),
        )
        self._wait_port(extproc, 60)
        self._wait_port(xds, 30)
        for port in envoy_xds.values():
            self._wait_port(port, 30)
        if admin_port > 0:
            self._wait_port(admin_port, 30)
        for name in self.envoys:
            baseline, feedback, usage = self.ENVOYS[name]
            listener, admin = free_port(), free_port()
            cfg = os.path.join(self.workdir, f"envoy-{name}.yaml")
            ports = {8080: listener, 9901: admin, 50051: extproc, 18000: envoy_xds.get(name, xds)}
            open(cfg, "w").write(envoy_config(ports, baseline, feedback, usage))
            self._start(
                f"envoy-{name}",
                [self.envoy_bin, "-c", cfg, "--disable-hot-restart", "--concurrency", "2", "--log-level", "warn"],
            )
            self.ports[name] = listener
            self.ports[name + "-admin"] = admin
            self._wait_ready(admin)
        return self

    def _xds(self, name, port, pools_file, routing):
        """An xds-server on `port`; with `routing`, it compiles that file's native routes."""
        self._java(
            name,
            "xds-server/target/xds-server.jar",
            ["--host", "127.0.0.1", "--port", str(port), "--pools", pools_file, "--watch", "false"]
            + ["--admin-port", "-1"]
            + (["--routing", routing] if routing else []),
        )

    def url(self, name):
        return f"http://127.0.0.1:{self.ports[name]}"

    def pid(self, name):
        return next((p.pid for proc_name, p in self.procs if proc_name == name), None)

    def cpu_seconds(self):
        """CPU time (user + system) used so far by each running process, by name."""
        out = {}
        for name, p in self.procs:
            try:
                fields = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
                out[name] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except OSError:
                pass
        return out

    def rss_mb(self, name):
        for proc_name, p in self.procs:
            if proc_name == name:
                for line in open(f"/proc/{p.pid}/status"):
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        return None

    def _java(self, name, jar, args):
        self._start(name, ["java"] + JAVA_OPTS + ["-jar", os.path.join(ROOT, jar)] + args)

    def _start(self, name, cmd):
        log = open(os.path.join(self.workdir, f"{name}.log"), "w")
        self.procs.append((name, subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)))

    def _alive(self):
        for name, p in self.procs:
            if p.poll() is not None:
                raise SystemExit(f"loadbench: {name} exited with {p.returncode}; see {self.workdir}/{name}.log")

    def _wait_port(self, port, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            self._alive()
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"loadbench: nothing listens on {port} after {seconds}s")

    def _wait_ready(self, admin):
        deadline = time.time() + 60
        while time.time() < deadline:
            self._alive()
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{admin}/ready", timeout=1).read().strip() == b"LIVE":
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("loadbench: Envoy not LIVE within 60s")

    def __exit__(self, *exc):
        for _, p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for _, p in self.procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        return False


def tool(name, env_var, install):
    """A tool binary: $ENV_VAR, then PATH, then .tools/bin (installed with `install` if missing)."""
    path = os.environ.get(env_var) or shutil.which(name)
    if path:
        return path
    local = os.path.join(ROOT, ".tools", "bin", name)
    if not os.path.exists(local):
        subprocess.run(install, check=True, env={**os.environ, "GOBIN": os.path.join(ROOT, ".tools", "bin")})
    return local


def envoy_bin():
    """The pinned Envoy binary, installed by scripts/install-envoy.sh if missing (its last line)."""
    out = subprocess.run(
        [os.path.join(ROOT, "scripts", "install-envoy.sh")], capture_output=True, check=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def vegeta_bin():
    """Vegeta at the pinned version: $VEGETA_BIN, PATH or .tools/bin (installed with Go if missing)."""
    return tool("vegeta", "VEGETA_BIN", ["go", "install", f"github.com/tsenart/vegeta/v12@{pinned('VEGETA_VERSION')}"])
