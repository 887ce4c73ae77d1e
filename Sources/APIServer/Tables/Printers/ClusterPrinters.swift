import Foundation
import KubeCore

/// Cluster and configuration printers: Namespace, Node, ConfigMap, Secret, ServiceAccount, ResourceQuota,
/// ComponentStatus (core), Lease (coordination.k8s.io), PodDisruptionBudget (policy) and Scale (autoscaling).
enum ClusterPrinters {
    static let namespace = TablePrinter.fields([
        .name,
        PrinterColumns.text("Status", "The namespace's phase."),
        .age,
    ]) { namespace, object, now in
        [.string(object.name), .string(namespace["status", "phase"].text), .string(Age.of(object, now: now))]
    }

    static let configMap = TablePrinter.fields([
        .name,
        PrinterColumns.text("Data", "Number of keys in data and binaryData."),
        .age,
    ]) { configMap, object, now in
        [.string(object.name), .integer(Int64(configMap["data"].count + configMap["binaryData"].count)),
         .string(Age.of(object, now: now))]
    }

    static let secret = TablePrinter.fields([
        .name,
        PrinterColumns.text("Type", "The kind of secret."),
        PrinterColumns.text("Data", "Number of keys in data."),
        .age,
    ]) { secret, object, now in
        [.string(object.name), .string(secret["type"].text), .integer(Int64(secret["data"].count)),
         .string(Age.of(object, now: now))]
    }

    static let serviceAccount = TablePrinter.fields([
        .name,
        PrinterColumns.text("Secrets", "Number of secrets listed by the account."),
        .age,
    ]) { account, object, now in
        [.string(object.name), .integer(Int64(account["secrets"].count)), .string(Age.of(object, now: now))]
    }

    static let node = TablePrinter.fields([
        .name,
        PrinterColumns.text("Status", "Readiness of the node, and whether it takes new pods."),
        PrinterColumns.text("Roles", "Roles taken from the node-role labels."),
        .age,
        PrinterColumns.text("Version", "The kubelet version."),
        PrinterColumns.text("Internal-IP", "The node's first internal address.", priority: 1),
        PrinterColumns.text("External-IP", "The node's first external address.", priority: 1),
        PrinterColumns.text("OS-Image", "The operating system reported by the node.", priority: 1),
        PrinterColumns.text("Kernel-Version", "The kernel version reported by the node.", priority: 1),
        PrinterColumns.text("Container-Runtime", "The container runtime and its version.", priority: 1),
    ]) { node, object, now in
        var status: [String] = []
        if let ready = node["status", "conditions"].items.last(where: { $0["type"].text == "Ready" }) {
            status.append(ready["status"].text == "True" ? "Ready" : "NotReady")
        } else {
            status.append("Unknown")
        }
        if node["spec", "unschedulable"].bool == true { status.append("SchedulingDisabled") }

        var roles = Set<String>()
        for (key, value) in node["metadata", "labels"].stringMap {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role" && !value.isEmpty {
                roles.insert(value)
            }
        }
        let addresses = node["status", "addresses"].items
        func address(_ type: String) -> String {
            addresses.first { $0["type"].text == type }?["address"].text ?? "<none>"
        }
        let info = node["status", "nodeInfo"]
        return [
            .string(object.name),
            .string(status.joined(separator: ",")),
            .string(roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")),
            .string(Age.of(object, now: now)),
            .string(info["kubeletVersion"].text),
            .string(address("InternalIP")),
            .string(address("ExternalIP")),
            .string(info["osImage"].nonEmpty ?? "<unknown>"),
            .string(info["kernelVersion"].nonEmpty ?? "<unknown>"),
            .string(info["containerRuntimeVersion"].nonEmpty ?? "<unknown>"),
        ]
    }

    /// v1.32 order: NAME AGE REQUEST LIMIT (AGE moved last only in v1.33).
    static let resourceQuota = TablePrinter.fields([
        .name,
        .age,
        PrinterColumns.text("Request", "Used and hard amounts of each non-limit resource."),
        PrinterColumns.text("Limit", "Used and hard amounts of each limits.* resource."),
    ]) { quota, object, now in
        let hard = quota["status", "hard"]
        let used = quota["status", "used"]
        var requests: [String] = []
        var limits: [String] = []
        for resource in hard.members.keys.sorted() {
            let entry = "\(resource): \(used[resource].quantity)/\(hard[resource].quantity)"
            let pieces = resource.split(separator: ".", omittingEmptySubsequences: false)
            if pieces.count > 1 && pieces[0] == "limits" {
                limits.append(entry)
            } else {
                requests.append(entry)
            }
        }
        return [.string(object.name), .string(Age.of(object, now: now)),
                .string(requests.joined(separator: ", ")), .string(limits.joined(separator: ", "))]
    }

    static let componentStatus = TablePrinter.fields([
        .name,
        PrinterColumns.text("Status", "Whether the component reports healthy."),
        PrinterColumns.text("Message", "The component's health message."),
        PrinterColumns.text("Error", "The component's health error."),
    ]) { component, object, _ in
        var status = "Unknown"
        var message = ""
        var error = ""
        if let healthy = component["conditions"].items.first(where: { $0["type"].text == "Healthy" }) {
            status = healthy["status"].text == "True" ? "Healthy" : "Unhealthy"
            message = healthy["message"].text
            error = healthy["error"].text
        }
        return [.string(object.name), .string(status), .string(message), .string(error)]
    }

    static let lease = TablePrinter.fields([
        .name,
        PrinterColumns.text("Holder", "The identity currently holding the lease."),
        .age,
    ]) { lease, object, now in
        [.string(object.name), .string(lease["spec", "holderIdentity"].text), .string(Age.of(object, now: now))]
    }

    static let podDisruptionBudget = TablePrinter.fields([
        .name,
        PrinterColumns.text("Min Available", "Pods that must stay available."),
        PrinterColumns.text("Max Unavailable", "Pods that may be unavailable at once."),
        PrinterColumns.integer("Allowed Disruptions", "Pods that may be evicted right now."),
        .age,
    ]) { budget, object, now in
        [
            .string(object.name),
            .string(budget["spec", "minAvailable"].intOrString ?? "N/A"),
            .string(budget["spec", "maxUnavailable"].intOrString ?? "N/A"),
            .integer(budget["status", "disruptionsAllowed"].integer),
            .string(Age.of(object, now: now)),
        ]
    }

    /// The `scale` subresource; upstream's Name column has no `name` format.
    static let scale = TablePrinter.fields([
        TableColumn(name: "Name", description: TableColumn.name.description),
        PrinterColumns.integer("Desired", "Replicas asked for."),
        PrinterColumns.integer("Available", "Replicas that exist."),
        .age,
    ]) { scale, object, now in
        [.string(object.name), .integer(scale["spec", "replicas"].integer),
         .integer(scale["status", "replicas"].integer), .string(Age.of(object, now: now))]
    }
}
