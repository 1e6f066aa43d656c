import Profiles

/// The Kubernetes objects of a plan, in the order they are created: the owner ConfigMap (the
/// class, and the job file if any), then per volume its PersistentVolumeClaim and Job.
extension ZonePlan {
    /// `ownerUID`: the ConfigMap's uid once it exists; every claim and Job then names it in
    /// `ownerReferences`, so that deleting the ConfigMap deletes them (and the Jobs' pods).
    /// Without it (`zones render`) the objects carry the run's labels only.
    public func manifests(ownerUID: String? = nil) -> [Tree] {
        [ownerConfigMap] + slots.flatMap { [claim($0, ownerUID: ownerUID), job($0, ownerUID: ownerUID)] }
    }

    /// The run's ConfigMap: what the pods read (`/etc/tierbench`).
    public var ownerConfigMap: Tree {
        var data: [(String, Tree)] = [("storageclass.yaml", .string(classManifest.yaml()))]
        if case .jobFile(let name, let text) = suite { data.append((name, .string(text))) }
        return [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(ownerName), "namespace": .string(namespace), "labels": .object(runLabels)],
            "data": .object(data),
        ]
    }

    /// The class as the pods read it (name, provisioner, parameters, binding, topologies).
    var classManifest: Tree {
        let sc = storageClass
        var t: Tree = ["apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": ["name": .string(sc.name)], "provisioner": .string(sc.provisioner)]
        if !sc.parameters.isEmpty { t.set("parameters", .object(sc.parameters.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })) }
        if let mode = sc.volumeBindingMode { t.set("volumeBindingMode", .string(mode)) }
        if !sc.allowedTopologies.isEmpty {
            t.set("allowedTopologies", .array(sc.allowedTopologies.map { term in
                ["matchLabelExpressions": .array(term.map { ["key": .string($0.key), "values": .array($0.values.map(Tree.string))] })]
            }))
        }
        return t
    }

    func metadata(_ slot: VolumeSlot, ownerUID: String?) -> Tree {
        var m: Tree = ["name": .string(slot.name), "namespace": .string(namespace), "labels": labels(slot)]
        if let ownerUID {
            m.set("ownerReferences", [["apiVersion": "v1", "kind": "ConfigMap", "name": .string(ownerName), "uid": .string(ownerUID), "blockOwnerDeletion": true]])
        }
        return m
    }

    public func claim(_ slot: VolumeSlot, ownerUID: String? = nil) -> Tree {
        [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": metadata(slot, ownerUID: ownerUID),
            "spec": [
                "storageClassName": .string(storageClass.name),
                "accessModes": ["ReadWriteOnce"],
                "volumeMode": .string(volumeMode),
                "resources": ["requests": ["storage": .string(size.text)]],
            ],
        ]
    }

    /// What the pod's tierbench runs (the image's entrypoint is tierbench).
    public func podArguments() -> [String] {
        let block = volumeMode == "Block"
        let target = block ? Self.devicePath : Self.dataPath
        let writes = block ? ["--allow-device-writes"] : []
        switch suite {
        case .check:
            return ["check", "-f", "\(Self.planPath)/storageclass.yaml", "--class", storageClass.name, "--size", size.text,
                    "--target", target] + writes + ["--output-format", "jsonl", "--progress", "never"] + suiteArguments
        case .defaultSuite:
            return ["run", "--target", target] + writes + ["--output-format", "jsonl", "--progress", "never"] + suiteArguments
        case .jobFile(let name, _):
            return ["run", "\(Self.planPath)/\(name)", "--target", target] + writes + ["--output-format", "jsonl", "--progress", "never"] + suiteArguments
        }
    }

    public func job(_ slot: VolumeSlot, ownerUID: String? = nil) -> Tree {
        let block = volumeMode == "Block"
        let zoneTerm: Tree = ["matchExpressions": [["key": .string(Self.zoneLabel), "operator": "In", "values": [.string(slot.zone)]]]]
        var affinity: Tree = ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [zoneTerm]]]]
        if perZone > 1 {
            // The volumes of a zone on different nodes.
            affinity.set("podAntiAffinity", ["requiredDuringSchedulingIgnoredDuringExecution": [[
                "labelSelector": ["matchLabels": ["\(Self.labelPrefix)/run": .string(runID), "\(Self.labelPrefix)/zone": .string(Self.labelValue(slot.zone))]],
                "topologyKey": "kubernetes.io/hostname",
            ]]])
        }
        var container: Tree = [
            "name": "tierbench",
            "image": .string(image),
            "args": .array(podArguments().map(Tree.string)),
            "resources": [
                "requests": ["cpu": .string(cpu), "memory": .string(memory)],
                "limits": ["cpu": .string(cpu), "memory": .string(memory)],
            ],
            // O_DIRECT on the device needs no privilege: no capability, no escalation.
            "securityContext": ["allowPrivilegeEscalation": false, "privileged": false, "readOnlyRootFilesystem": true,
                                "capabilities": ["drop": ["ALL"]]],
        ]
        var mounts: [Tree] = [["name": "plan", "mountPath": .string(Self.planPath), "readOnly": true]]
        if block {
            container.set("volumeDevices", [["name": "volume", "devicePath": .string(Self.devicePath)]])
        } else {
            mounts.append(["name": "volume", "mountPath": .string(Self.dataPath)])
        }
        container.set("volumeMounts", .array(mounts))
        // A raw device node belongs to root: the pod runs as uid 0 without capabilities. A file
        // system gets the pod's group (fsGroup), so the pod runs as an unprivileged user.
        let podSecurity: Tree = block
            ? ["seccompProfile": ["type": "RuntimeDefault"]]
            : ["runAsNonRoot": true, "runAsUser": 65532, "runAsGroup": 65532, "fsGroup": 65532, "seccompProfile": ["type": "RuntimeDefault"]]
        var pod: Tree = [
            "restartPolicy": "Never",
            "affinity": affinity,
            "securityContext": podSecurity,
            "containers": [container],
            "volumes": [
                ["name": "volume", "persistentVolumeClaim": ["claimName": .string(slot.name)]],
                ["name": "plan", "configMap": ["name": .string(ownerName)]],
            ],
        ]
        if !nodeSelector.isEmpty { pod.set("nodeSelector", .object(nodeSelector.map { ($0.key, .string($0.value)) })) }
        if !tolerations.isEmpty {
            pod.set("tolerations", .array(tolerations.map { t in
                var o: Tree = ["key": .string(t.key), "operator": t.value == nil ? "Exists" : "Equal"]
                if let v = t.value { o.set("value", .string(v)) }
                if let e = t.effect { o.set("effect", .string(e)) }
                return o
            }))
        }
        return [
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": metadata(slot, ownerUID: ownerUID),
            "spec": [
                "backoffLimit": 0,
                "activeDeadlineSeconds": .int(deadlineSeconds),
                "ttlSecondsAfterFinished": 3600,
                "template": ["metadata": ["labels": labels(slot)], "spec": pod],
            ],
        ]
    }

    /// `zones render`: every object as YAML documents, with a header saying what they are.
    public func renderYAML() -> String {
        let header = """
            # tierbench zones: run \(runID), StorageClass \(storageClass.name), \(size.text) per volume, \(perZone) per zone in \(zones.joined(separator: ", ")).
            # `tierbench zones run` adds ownerReferences to ConfigMap \(ownerName) once it exists;
            # applied by hand, remove everything with: kubectl delete -n \(namespace) configmap,pvc,job -l \(runSelector)

            """
        return header + manifests().map { "---\n" + $0.yaml() }.joined()
    }
}
