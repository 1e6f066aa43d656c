#!/usr/bin/env python3
"""A small Kubernetes API emulator for tierbench's tests: the real kubectl talks to it.

It stands in for a kube-apiserver with the controllers `tierbench zones` relies on, and no more:
- the API: discovery (/api, /api/v1, /apis, /apis/batch/v1, /apis/storage.k8s.io/v1), create, get,
  list (label and field selectors), delete of configmaps, persistentvolumeclaims, persistentvolumes,
  jobs, pods (and pods/log), events, nodes, storageclasses, namespaces; objects shaped as the real
  API returns them (metadata.uid, resourceVersion, creationTimestamp, status); Status errors
  (404 NotFound, 409 AlreadyExists, 403 Forbidden as RBAC words it);
- the garbage collector: deleting an owner deletes its dependents (ownerReferences), a Job its pods,
  a claim its volume;
- the Job controller: one pod per Job (backoffLimit 0), Complete/Failed conditions,
  activeDeadlineSeconds (DeadlineExceeded);
- the scheduler: required node affinity (In/NotIn/Exists), nodeSelector, pod anti-affinity on
  kubernetes.io/hostname, the node affinity of a bound volume; Unschedulable with its message;
- the provisioner: WaitForFirstConsumer provisions in the zone of the node the pod was scheduled
  to, Immediate in a configured zone; ProvisioningFailed events for zones configured to fail;
- the kubelet: runs the container as a local process (the real tierbench, in the zone's blkio
  cgroup), with the claim's devicePath mapped to the zone's block device and ConfigMap volumes
  written to a directory; the log is stdout and stderr interleaved; images whose name contains
  "missing" fail to pull (ErrImagePull, then ImagePullBackOff).

Usage: kube_emulator.py CONFIG.json ; prints "READY <port>" once it serves on 127.0.0.1.
GET /_emulator/objects returns every object the clients created (and what the controllers made of
them), not the configured nodes and classes, nor events.
"""
import json
import os
import random
import re
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

CONFIG = json.load(open(sys.argv[1]))
LOCK = threading.RLock()
STORE = {}  # (resource, namespace or "", name) -> object
PROCS = {}  # pod key -> (Popen, log path, started)
RV = [1000]
WORKDIR = tempfile.mkdtemp(prefix="kube-emulator-")

# resource -> (group, version, kind, namespaced)
RESOURCES = {
    "configmaps": ("", "v1", "ConfigMap", True),
    "persistentvolumeclaims": ("", "v1", "PersistentVolumeClaim", True),
    "persistentvolumes": ("", "v1", "PersistentVolume", False),
    "pods": ("", "v1", "Pod", True),
    "events": ("", "v1", "Event", True),
    "nodes": ("", "v1", "Node", False),
    "namespaces": ("", "v1", "Namespace", False),
    "jobs": ("batch", "v1", "Job", True),
    "storageclasses": ("storage.k8s.io", "v1", "StorageClass", False),
}
SHORT = {"configmaps": ["cm"], "persistentvolumeclaims": ["pvc"], "persistentvolumes": ["pv"], "pods": ["po"],
         "events": ["ev"], "nodes": ["no"], "namespaces": ["ns"], "jobs": [], "storageclasses": ["sc"]}
VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def next_rv():
    RV[0] += 1
    return str(RV[0])


def api_version(resource):
    group, version, _, _ = RESOURCES[resource]
    return f"{group}/{version}" if group else version


def stamp(resource, obj, namespace):
    _, _, kind, namespaced = RESOURCES[resource]
    obj["apiVersion"] = api_version(resource)
    obj["kind"] = kind
    m = obj.setdefault("metadata", {})
    if namespaced:
        m["namespace"] = namespace
    m.setdefault("uid", str(uuid.uuid4()))
    m.setdefault("creationTimestamp", now())
    m["resourceVersion"] = next_rv()
    return obj


def put(resource, obj):
    ns = obj["metadata"].get("namespace", "") if RESOURCES[resource][3] else ""
    STORE[(resource, ns, obj["metadata"]["name"])] = obj


def event(obj, reason, message, kind="Warning"):
    m = obj["metadata"]
    name = f"{m['name']}.{random.randrange(16**12):012x}"
    ev = {"metadata": {"name": name}, "involvedObject": {"kind": obj["kind"], "name": m["name"], "namespace": m.get("namespace", "default"),
          "uid": m["uid"], "apiVersion": obj["apiVersion"]}, "reason": reason, "message": message, "type": kind,
          "firstTimestamp": now(), "lastTimestamp": now(), "count": 1, "source": {"component": "kube-emulator"}}
    stamp("events", ev, m.get("namespace", "default"))
    put("events", ev)


def forbidden(verb, resource):
    for f in CONFIG.get("forbid", []):
        if f["verb"] == verb and f["resource"] == resource:
            return True
    return False


def status(code, reason, message, details=None):
    return code, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
                  "reason": reason, "details": details or {}, "code": code}


def selector_match(labels, selector):
    if not selector:
        return True
    for part in selector.split(","):
        part = part.strip()
        if "!=" in part:
            k, v = part.split("!=", 1)
            if labels.get(k) == v:
                return False
        elif "=" in part:
            k, v = part.split("=", 1)
            k = k.rstrip("=")
            if labels.get(k) != v:
                return False
        elif part.startswith("!"):
            if part[1:] in labels:
                return False
        elif part not in labels:
            return False
    return True


def field_match(obj, selector):
    if not selector:
        return True
    for part in selector.split(","):
        k, v = part.split("=", 1)
        cur = obj
        for p in k.split("."):
            cur = cur.get(p, {}) if isinstance(cur, dict) else {}
        if cur != v:
            return False
    return True


# ---- controllers -------------------------------------------------------------------------

def delete_object(resource, ns, name):
    obj = STORE.pop((resource, ns, name), None)
    if obj is None:
        return None
    uid = obj["metadata"]["uid"]
    if resource == "pods":
        stop_process((ns, name))
    if resource == "persistentvolumeclaims":
        pv = obj.get("spec", {}).get("volumeName")
        if pv:
            STORE.pop(("persistentvolumes", "", pv), None)
    # Garbage collection: dependents of this object.
    for key, other in list(STORE.items()):
        refs = other["metadata"].get("ownerReferences", [])
        if any(r.get("uid") == uid for r in refs):
            delete_object(key[0], key[1], key[2])
    return obj


def stop_process(key):
    entry = PROCS.pop(key, None)
    if entry and entry[0].poll() is None:
        try:
            os.killpg(entry[0].pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def nodes():
    return [o for (r, _, _), o in STORE.items() if r == "nodes"]


def node_matches_affinity(node, pod):
    labels = node["metadata"].get("labels", {})
    spec = pod["spec"]
    for k, v in (spec.get("nodeSelector") or {}).items():
        if labels.get(k) != v:
            return False
    terms = (((spec.get("affinity") or {}).get("nodeAffinity") or {}).get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms")
    if terms:
        ok = False
        for t in terms:
            if all(expr_matches(labels, e) for e in t.get("matchExpressions", [])):
                ok = True
        if not ok:
            return False
    return True


def expr_matches(labels, e):
    op, key, values = e["operator"], e["key"], e.get("values", [])
    if op == "In":
        return labels.get(key) in values
    if op == "NotIn":
        return labels.get(key) not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    return False


def anti_affinity_ok(node, pod):
    rules = (((pod["spec"].get("affinity") or {}).get("podAntiAffinity") or {}).get("requiredDuringSchedulingIgnoredDuringExecution")) or []
    for rule in rules:
        want = (rule.get("labelSelector") or {}).get("matchLabels", {})
        for (r, _, _), other in STORE.items():
            if r != "pods" or other is pod or other["spec"].get("nodeName") != node["metadata"]["name"]:
                continue
            if all(other["metadata"].get("labels", {}).get(k) == v for k, v in want.items()):
                return False
    return True


def claim_of(pod):
    for v in pod["spec"].get("volumes", []):
        if "persistentVolumeClaim" in v:
            return STORE.get(("persistentvolumeclaims", pod["metadata"]["namespace"], v["persistentVolumeClaim"]["claimName"]))
    return None


def zone_of(node):
    return node["metadata"].get("labels", {}).get("topology.kubernetes.io/zone")


def provision(pvc, zone):
    """Creates the PV for a claim in `zone` (or records ProvisioningFailed)."""
    fail = CONFIG.get("provisioning_fails_in", {}).get(zone)
    sc = STORE.get(("storageclasses", "", pvc["spec"].get("storageClassName", "")))
    if fail:
        if not any(o["reason"] == "ProvisioningFailed" and o["involvedObject"]["name"] == pvc["metadata"]["name"]
                   for (r, _, _), o in STORE.items() if r == "events"):
            event(pvc, "ProvisioningFailed", fail)
        return False
    name = "pvc-" + pvc["metadata"]["uid"]
    pv = {"metadata": {"name": name, "annotations": {"pv.kubernetes.io/provisioned-by": sc["provisioner"] if sc else "emulator"}},
          "spec": {"capacity": {"storage": pvc["spec"]["resources"]["requests"]["storage"]}, "accessModes": pvc["spec"].get("accessModes", []),
                   "volumeMode": pvc["spec"].get("volumeMode", "Filesystem"), "storageClassName": pvc["spec"].get("storageClassName"),
                   "persistentVolumeReclaimPolicy": "Delete",
                   "claimRef": {"kind": "PersistentVolumeClaim", "namespace": pvc["metadata"]["namespace"], "name": pvc["metadata"]["name"],
                                "uid": pvc["metadata"]["uid"], "apiVersion": "v1"},
                   "csi": {"driver": sc["provisioner"] if sc else "emulator", "volumeHandle": "vol-" + pvc["metadata"]["uid"][:8]},
                   "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                       {"key": "topology.kubernetes.io/zone", "operator": "In", "values": [zone]}]}]}}},
          "status": {"phase": "Bound"}}
    stamp("persistentvolumes", pv, "")
    put("persistentvolumes", pv)
    pvc["spec"]["volumeName"] = name
    pvc["status"] = {"phase": "Bound", "accessModes": pvc["spec"].get("accessModes", []), "capacity": {"storage": pvc["spec"]["resources"]["requests"]["storage"]}}
    pvc["metadata"]["resourceVersion"] = next_rv()
    event(pvc, "ProvisioningSucceeded", f"Successfully provisioned volume {name}", "Normal")
    return True


def pv_zone(pvc):
    pv = STORE.get(("persistentvolumes", "", pvc["spec"].get("volumeName", "")))
    if not pv:
        return None
    return pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]["values"][0]


def tick():
    with LOCK:
        # Immediate binding: claims are provisioned at once, in the configured zone.
        for (r, _, _), pvc in list(STORE.items()):
            if r != "persistentvolumeclaims" or pvc.get("status", {}).get("phase") == "Bound":
                continue
            sc = STORE.get(("storageclasses", "", pvc["spec"].get("storageClassName", "")))
            if sc and sc.get("volumeBindingMode", "Immediate") == "Immediate":
                provision(pvc, CONFIG.get("immediate_zone") or zone_of(nodes()[0]))
        # Job controller: one pod per Job.
        for (r, ns, name), job in list(STORE.items()):
            if r != "jobs":
                continue
            st = job.setdefault("status", {})
            if not st.get("startTime"):
                st["startTime"] = now()
                st["_started"] = time.time()
                suffix = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(5))
                tmpl = json.loads(json.dumps(job["spec"]["template"]))
                labels = dict(tmpl.get("metadata", {}).get("labels", {}))
                labels.update({"job-name": name, "batch.kubernetes.io/job-name": name, "controller-uid": job["metadata"]["uid"]})
                pod = {"metadata": {"name": f"{name}-{suffix}", "labels": labels, "ownerReferences": [
                    {"apiVersion": "batch/v1", "kind": "Job", "name": name, "uid": job["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]},
                    "spec": tmpl["spec"], "status": {"phase": "Pending", "conditions": []}}
                stamp("pods", pod, ns)
                put("pods", pod)
                st["active"] = 1
            deadline = job["spec"].get("activeDeadlineSeconds")
            done = any(c["type"] in ("Complete", "Failed") for c in st.get("conditions", []))
            if deadline and not done and time.time() - st["_started"] > deadline:
                for (r2, ns2, n2), pod in list(STORE.items()):
                    if r2 == "pods" and pod["metadata"]["labels"].get("job-name") == name:
                        delete_object("pods", ns2, n2)
                st["conditions"] = [{"type": "Failed", "status": "True", "reason": "DeadlineExceeded", "message": "Job was active longer than specified deadline",
                                     "lastTransitionTime": now()}]
                st["failed"] = 1
                st["active"] = 0
        # Scheduler, provisioner, kubelet.
        for (r, ns, name), pod in list(STORE.items()):
            if r != "pods":
                continue
            st = pod["status"]
            if not pod["spec"].get("nodeName"):
                pvc = claim_of(pod)
                zone = pv_zone(pvc) if pvc and pvc.get("status", {}).get("phase") == "Bound" else None
                fit = [n for n in nodes() if node_matches_affinity(n, pod) and anti_affinity_ok(n, pod) and (zone is None or zone_of(n) == zone)
                       and not n["spec"].get("unschedulable")]
                if not fit:
                    total = len(nodes())
                    why = "node(s) had volume node affinity conflict" if zone else "node(s) didn't match Pod's node affinity/selector"
                    msg = f"0/{total} nodes are available: {total} {why}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
                    if not any(c.get("reason") == "Unschedulable" for c in st["conditions"]):
                        st["conditions"] = [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": msg, "lastTransitionTime": now()}]
                        event(pod, "FailedScheduling", msg)
                    continue
                node = sorted(fit, key=lambda n: n["metadata"]["name"])[0]
                if pvc and pvc.get("status", {}).get("phase") != "Bound":
                    if not provision(pvc, zone_of(node)):
                        continue
                pod["spec"]["nodeName"] = node["metadata"]["name"]
                st["conditions"] = [{"type": "PodScheduled", "status": "True", "lastTransitionTime": now()}]
                event(pod, "Scheduled", f"Successfully assigned {ns}/{name} to {node['metadata']['name']}", "Normal")
                continue
            if st["phase"] == "Pending":
                image = pod["spec"]["containers"][0]["image"]
                if "missing" in image:
                    reason = "ImagePullBackOff" if st.get("containerStatuses") else "ErrImagePull"
                    st["containerStatuses"] = [{"name": "tierbench", "image": image, "imageID": "", "ready": False, "restartCount": 0,
                                                "state": {"waiting": {"reason": reason, "message": f'Back-off pulling image "{image}"'}}}]
                    continue
                start(ns, name, pod)
            elif st["phase"] == "Running":
                entry = PROCS.get((ns, name))
                if entry and entry[0].poll() is not None:
                    finish(ns, name, pod, entry[0].returncode)


def start(ns, name, pod):
    node = STORE[("nodes", "", pod["spec"]["nodeName"])]
    zone = zone_of(node)
    zconf = CONFIG.get("zones", {}).get(zone, {})
    c = pod["spec"]["containers"][0]
    root = os.path.join(WORKDIR, f"{ns}-{name}")
    os.makedirs(root, exist_ok=True)
    mapping = {}
    for vm in c.get("volumeMounts", []):
        vol = next(v for v in pod["spec"]["volumes"] if v["name"] == vm["name"])
        d = os.path.join(root, vm["name"])
        os.makedirs(d, exist_ok=True)
        if "configMap" in vol:
            cm = STORE.get(("configmaps", ns, vol["configMap"]["name"]))
            for k, v in (cm or {}).get("data", {}).items():
                open(os.path.join(d, k), "w").write(v)
        mapping[vm["mountPath"]] = d
    for vd in c.get("volumeDevices", []):
        # A zone without a device of its own: a path whose directory does not exist, so tierbench fails.
        mapping[vd["devicePath"]] = zconf.get("device", "/nonexistent-emulator-device/" + zone)
    args = []
    for a in c.get("args", []):
        for k, v in sorted(mapping.items(), key=lambda kv: -len(kv[0])):
            if a == k or a.startswith(k + "/"):
                a = v + a[len(k):]
                break
        args.append(a)
    log = os.path.join(root, "log")
    out = open(log, "wb")
    quoted = " ".join("'" + x.replace("'", "'\\''") + "'" for x in [CONFIG["tierbench"]] + args)
    cg = zconf.get("cgroup")
    shell = (f"echo $$ > {cg}/cgroup.procs && " if cg else "") + "exec " + quoted
    p = subprocess.Popen(["/bin/sh", "-c", shell], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    PROCS[(ns, name)] = (p, log, time.time())
    pod["status"].update({"phase": "Running", "startTime": now(), "hostIP": "10.0.0.1", "podIP": "10.1.0.1",
                          "containerStatuses": [{"name": "tierbench", "image": c["image"], "imageID": "", "ready": True, "restartCount": 0, "started": True,
                                                 "state": {"running": {"startedAt": now()}}}]})
    pod["metadata"]["resourceVersion"] = next_rv()


def finish(ns, name, pod, code):
    c = pod["spec"]["containers"][0]
    reason = "Completed" if code == 0 else ("OOMKilled" if code == 137 and CONFIG.get("oom_on_kill") else "Error")
    pod["status"]["phase"] = "Succeeded" if code == 0 else "Failed"
    pod["status"]["containerStatuses"] = [{"name": "tierbench", "image": c["image"], "imageID": "", "ready": False, "restartCount": 0,
                                           "state": {"terminated": {"exitCode": code, "reason": reason, "startedAt": now(), "finishedAt": now()}}}]
    pod["metadata"]["resourceVersion"] = next_rv()
    job = STORE.get(("jobs", ns, pod["metadata"]["labels"].get("job-name", "")))
    if job:
        st = job["status"]
        st["active"] = 0
        if code == 0:
            st["succeeded"] = 1
            st["completionTime"] = now()
            st["conditions"] = [{"type": "Complete", "status": "True", "lastTransitionTime": now()}]
        else:
            st["failed"] = 1
            st["conditions"] = [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit",
                                 "lastTransitionTime": now()}]


def controller_loop():
    while True:
        try:
            tick()
        except Exception as e:  # keep serving; the test sees the state
            print("controller error:", repr(e), file=sys.stderr, flush=True)
        time.sleep(0.1)


# ---- HTTP ----------------------------------------------------------------------------------

def discovery(path):
    if path == "/api":
        return {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}
    if path == "/apis":
        groups = []
        for g, v in [("batch", "v1"), ("storage.k8s.io", "v1")]:
            gv = {"groupVersion": f"{g}/{v}", "version": v}
            groups.append({"name": g, "versions": [gv], "preferredVersion": gv})
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
    m = re.fullmatch(r"/api/v1|/apis/([^/]+)/([^/]+)", path)
    if not m:
        return None
    group = m.group(1) or ""
    version = m.group(2) or "v1"
    resources = []
    for res, (g, v, kind, namespaced) in RESOURCES.items():
        if g == group and v == version:
            resources.append({"name": res, "singularName": kind.lower(), "namespaced": namespaced, "kind": kind, "verbs": VERBS, "shortNames": SHORT[res]})
            if res == "pods":
                resources.append({"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get"]})
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}" if group else "v1", "resources": resources}


PATH_RE = re.compile(r"^/(?:api/v1|apis/(?P<group>[^/]+)/(?P<version>[^/]+))(?:/namespaces/(?P<ns>[^/]+))?/(?P<resource>[^/]+)(?:/(?P<name>[^/]+))?(?:/(?P<sub>log))?$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(n) or b"{}") if n else {}

    def route(self, verb):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path.rstrip("/") or "/"
        if path == "/_emulator/objects":
            with LOCK:
                return self.send(200, [o for (r, _, _), o in STORE.items() if r not in ("events", "nodes", "namespaces", "storageclasses")])
        if path == "/version":
            return self.send(200, {"major": "1", "minor": "30", "gitVersion": "v1.30.0-emulator", "platform": "linux/amd64"})
        if path.startswith("/openapi"):
            return self.send(*status(404, "NotFound", "the emulator serves no OpenAPI document"))
        d = discovery(path)
        if d is not None and verb == "get":
            return self.send(200, d)
        m = PATH_RE.match(path)
        if not m or m.group("resource") not in RESOURCES:
            return self.send(*status(404, "NotFound", f"the server could not find the requested resource ({path})"))
        resource, name, ns = m.group("resource"), m.group("name"), m.group("ns")
        group = RESOURCES[resource][0]
        namespaced = RESOURCES[resource][3]
        if m.group("sub") == "log":
            verb = "get"
        elif verb == "get" and not name:
            verb = "list"
        if forbidden(verb, resource):
            where = f' in the namespace "{ns}"' if ns else ""
            g = group or ""
            return self.send(*status(403, "Forbidden", f'{resource}{"." + g if g else ""} {(chr(34) + name + chr(34) + " ") if name else ""}is forbidden: User "tierbench-test" cannot {verb} resource "{resource}" in API group "{g}"{where}',
                                     {"name": name or "", "group": g, "kind": resource}))
        with LOCK:
            key = (resource, ns or "", name) if namespaced else (resource, "", name)
            if m.group("sub") == "log":
                entry = PROCS.get((ns, name))
                pod = STORE.get(("pods", ns, name))
                if not pod:
                    return self.send(*status(404, "NotFound", f'pods "{name}" not found'))
                log = entry[1] if entry else os.path.join(WORKDIR, f"{ns}-{name}", "log")
                text = open(log, errors="replace").read() if os.path.exists(log) else ""
                if "tailLines" in q:
                    lines = text.splitlines(True)
                    text = "".join(lines[-int(q["tailLines"]):])
                return self.send(200, text, "text/plain")
            if verb == "list":
                items = [o for (r, n2, _), o in STORE.items() if r == resource and (not namespaced or not ns or n2 == ns)
                         and selector_match(o["metadata"].get("labels", {}), q.get("labelSelector")) and field_match(o, q.get("fieldSelector"))]
                _, version, kind, _ = RESOURCES[resource]
                return self.send(200, {"kind": kind + "List", "apiVersion": api_version(resource), "metadata": {"resourceVersion": next_rv()}, "items": items})
            if verb == "get":
                obj = STORE.get(key)
                if not obj:
                    return self.send(*status(404, "NotFound", f'{resource}{"." + group if group else ""} "{name}" not found',
                                             {"name": name, "group": group, "kind": resource}))
                return self.send(200, obj)
            if verb == "create":
                obj = self.body()
                obj.setdefault("metadata", {})
                if obj["metadata"].get("generateName") and not obj["metadata"].get("name"):
                    obj["metadata"]["name"] = obj["metadata"]["generateName"] + "".join(random.choice(string.ascii_lowercase) for _ in range(5))
                oname = obj["metadata"]["name"]
                k2 = (resource, ns or "", oname) if namespaced else (resource, "", oname)
                if k2 in STORE:
                    return self.send(*status(409, "AlreadyExists", f'{resource}{"." + group if group else ""} "{oname}" already exists'))
                for ref in obj["metadata"].get("ownerReferences", []):
                    if not any(o["metadata"]["uid"] == ref.get("uid") for o in STORE.values()):
                        pass  # the real API accepts dangling owners; the GC then deletes the object
                stamp(resource, obj, ns or "default")
                if resource == "persistentvolumeclaims":
                    obj["status"] = {"phase": "Pending"}
                    obj["spec"].setdefault("volumeMode", "Filesystem")
                if resource == "jobs":
                    obj["status"] = {}
                STORE[k2] = obj
                return self.send(201, obj)
            if verb == "delete":
                obj = delete_object(*key)
                if obj is None:
                    return self.send(*status(404, "NotFound", f'{resource}{"." + group if group else ""} "{name}" not found',
                                             {"name": name, "group": group, "kind": resource}))
                return self.send(200, obj)
        return self.send(*status(405, "MethodNotAllowed", f"{verb} is not supported by the emulator"))

    def do_GET(self):
        self.route("get")

    def do_POST(self):
        self.route("create")

    def do_DELETE(self):
        self.body()
        self.route("delete")


def main():
    for n in CONFIG.get("nodes", []):
        node = {"metadata": {"name": n["name"], "labels": {"kubernetes.io/hostname": n["name"], "topology.kubernetes.io/zone": n["zone"],
                                                            "topology.kubernetes.io/region": n.get("region", "emu-1"),
                                                            "node.kubernetes.io/instance-type": n.get("instanceType", "emu.large")}},
                "spec": {"unschedulable": bool(n.get("unschedulable"))},
                "status": {"conditions": [{"type": "Ready", "status": "True"}]}}
        stamp("nodes", node, "")
        put("nodes", node)
    for sc in CONFIG.get("storageclasses", []):
        stamp("storageclasses", sc, "")
        put("storageclasses", sc)
    ns = {"metadata": {"name": "default"}}
    stamp("namespaces", ns, "")
    put("namespaces", ns)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=controller_loop, daemon=True).start()

    def stop(*_):
        for key in list(PROCS):
            stop_process(key)
        shutil.rmtree(WORKDIR, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # A parent may have started us with these signals blocked (the mask survives exec).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
