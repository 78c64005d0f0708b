"""Starts and stops the processes of one benchmark run: workers, xds-server, ext-proc-service
and Envoy (the shipped bootstrap, and a baseline variant without semlb), on free loopback ports.
Every process is started here and stopped here; nothing is left running."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAVA_OPTS = ["-XX:+UseSerialGC", "-Xmx512m"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def remove_block(lines, first_line):
    """Removes the YAML line `first_line` (stripped match) and every line indented deeper."""
    for i, line in enumerate(lines):
        if line.strip() == first_line:
            indent = len(line) - len(line.lstrip())
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
                j += 1
            return lines[:i] + lines[j:]
    raise SystemExit(f"loadbench: envoy/envoy.yaml has no line '{first_line}' (the bench must follow its shape)")


def envoy_config(ports, baseline):
    """The shipped bootstrap with free ports; baseline: ext_proc and the pool-header strip removed,
    so Envoy routes on a client-set x-semantic-pool through the same listener and clusters."""
    text = open(os.path.join(ROOT, "envoy/envoy.yaml")).read()
    for old, new in ports.items():
        pattern = rf"port_value: {old}\b"
        if len(re.findall(pattern, text)) != 1:
            raise SystemExit(f"loadbench: 'port_value: {old}' is not in envoy/envoy.yaml exactly once")
        text = re.sub(pattern, f"port_value: {new}", text)
    if baseline:
        lines = text.split("\n")
        lines = remove_block(lines, "- name: envoy.filters.http.ext_proc")
        lines = remove_block(lines, "early_header_mutation_extensions:")
        text = "\n".join(lines)
    return text


class Stack:
    """One set of running processes; use as a context manager."""

    def __init__(self, workdir, envoy_bin, workers, pools, worker_args=(), extproc_admin=False):
        self.workdir = workdir
        self.envoy_bin = envoy_bin
        self.worker_specs = workers          # list of (pool, id)
        self.pools = pools                    # pool -> list of worker ids
        self.worker_args = list(worker_args)
        self.procs = []
        self.ports = {}
        self.extproc_admin = extproc_admin

    def __enter__(self):
        os.makedirs(self.workdir, exist_ok=True)
        worker_ports = {}
        for pool, wid in self.worker_specs:
            port = free_port()
            worker_ports[wid] = port
            self._java(f"worker-{wid}", "workers/target/worker.jar",
                       ["--host", "127.0.0.1", "--pool", pool, "--port", str(port), "--id", wid] + self.worker_args)
        pools_yaml = "pools:\n" + "".join(
            f"  - name: {pool}\n    endpoints:\n" + "".join(f"      - 127.0.0.1:{worker_ports[w]}\n" for w in ids)
            for pool, ids in self.pools.items())
        pools_file = os.path.join(self.workdir, "pools.yaml")
        open(pools_file, "w").write(pools_yaml)
        xds, extproc = free_port(), free_port()
        self._java("xds-server", "xds-server/target/xds-server.jar",
                   ["--host", "127.0.0.1", "--port", str(xds), "--pools", pools_file, "--watch", "false",
                    "--admin-port", "-1"])
        admin_port = free_port() if self.extproc_admin else -1
        self.ports["extproc-admin"] = admin_port
        self._java("ext-proc-service", "ext-proc-service/target/ext-proc-service.jar",
                   ["--host", "127.0.0.1", "--port", str(extproc), "--routing", "config/routing.yaml",
                    "--watch", "false", "--admin-port", str(admin_port)])
        self._wait_port(extproc, 60)
        self._wait_port(xds, 30)
        for name, baseline in (("baseline", True), ("semlb", False)):
            listener, admin = free_port(), free_port()
            cfg = os.path.join(self.workdir, f"envoy-{name}.yaml")
            open(cfg, "w").write(envoy_config({8080: listener, 9901: admin, 50051: extproc, 18000: xds}, baseline))
            self._start(f"envoy-{name}", [self.envoy_bin, "-c", cfg, "--disable-hot-restart", "--concurrency", "2",
                                          "--log-level", "warn"])
            self.ports[name] = listener
            self._wait_ready(admin)
        return self

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
