import Foundation
import KubeCore

/// Workload controller printers: ReplicationController (core), and the apps group's Deployment, ReplicaSet,
/// DaemonSet, StatefulSet and ControllerRevision (upstream `printDeployment` and friends).
enum AppsPrinters {
    static let replicationController = TablePrinter.fields([
        .name,
        PrinterColumns.integer("Desired", "Number of replicas asked for."),
        PrinterColumns.integer("Current", "Number of replicas that exist."),
        PrinterColumns.integer("Ready", "Number of replicas that are ready."),
        .age,
        PrinterColumns.containers,
        PrinterColumns.images,
        PrinterColumns.selector(),
    ]) { controller, object, now in
        let containers = PrintFormat.containers(controller["spec", "template", "spec"])
        return [
            .string(object.name),
            .integer(controller["spec", "replicas"].int ?? 1),
            .integer(controller["status", "replicas"].integer),
            .integer(controller["status", "readyReplicas"].integer),
            .string(Age.of(object, now: now)),
            .string(containers.names), .string(containers.images),
            .string(PrintFormat.labels(controller["spec", "selector"])),
        ]
    }

    static let replicaSet = TablePrinter.fields([
        .name,
        PrinterColumns.integer("Desired", "Number of replicas asked for."),
        PrinterColumns.integer("Current", "Number of replicas that exist."),
        PrinterColumns.integer("Ready", "Number of replicas that are ready."),
        .age,
        PrinterColumns.containers,
        PrinterColumns.images,
        PrinterColumns.selector(),
    ]) { replicaSet, object, now in
        let containers = PrintFormat.containers(replicaSet["spec", "template", "spec"])
        return [
            .string(object.name),
            .integer(replicaSet["spec", "replicas"].int ?? 1),
            .integer(replicaSet["status", "replicas"].integer),
            .integer(replicaSet["status", "readyReplicas"].integer),
            .string(Age.of(object, now: now)),
            .string(containers.names), .string(containers.images),
            .string(PrintFormat.labelSelector(replicaSet["spec", "selector"])),
        ]
    }

    static let deployment = TablePrinter.fields([
        .name,
        PrinterColumns.text("Ready", "Ready pods out of the desired replicas."),
        PrinterColumns.text("Up-to-date", "Pods that run the current template."),
        PrinterColumns.text("Available", "Pods that have been ready for at least minReadySeconds."),
        .age,
        PrinterColumns.containers,
        PrinterColumns.images,
        PrinterColumns.selector(),
    ]) { deployment, object, now in
        let containers = PrintFormat.containers(deployment["spec", "template", "spec"])
        let desired = deployment["spec", "replicas"].int ?? 1
        return [
            .string(object.name),
            .string("\(deployment["status", "readyReplicas"].integer)/\(desired)"),
            .integer(deployment["status", "updatedReplicas"].integer),
            .integer(deployment["status", "availableReplicas"].integer),
            .string(Age.of(object, now: now)),
            .string(containers.names), .string(containers.images),
            .string(PrintFormat.selector(deployment["spec", "selector"]) ?? "<invalid>"),
        ]
    }

    static let daemonSet = TablePrinter.fields([
        .name,
        PrinterColumns.integer("Desired", "Number of nodes that should run the daemon pod."),
        PrinterColumns.integer("Current", "Number of nodes that run the daemon pod."),
        PrinterColumns.integer("Ready", "Number of nodes whose daemon pod is ready."),
        PrinterColumns.integer("Up-to-date", "Number of nodes that run the current template."),
        PrinterColumns.integer("Available", "Number of nodes whose daemon pod is available."),
        PrinterColumns.text("Node Selector", "Node labels the daemon pods are restricted to."),
        .age,
        PrinterColumns.containers,
        PrinterColumns.images,
        PrinterColumns.selector(),
    ]) { daemonSet, object, now in
        let status = daemonSet["status"]
        let podSpec = daemonSet["spec", "template", "spec"]
        let containers = PrintFormat.containers(podSpec)
        return [
            .string(object.name),
            .integer(status["desiredNumberScheduled"].integer),
            .integer(status["currentNumberScheduled"].integer),
            .integer(status["numberReady"].integer),
            .integer(status["updatedNumberScheduled"].integer),
            .integer(status["numberAvailable"].integer),
            .string(PrintFormat.labels(podSpec["nodeSelector"])),
            .string(Age.of(object, now: now)),
            .string(containers.names), .string(containers.images),
            .string(PrintFormat.labelSelector(daemonSet["spec", "selector"])),
        ]
    }

    static let statefulSet = TablePrinter.fields([
        .name,
        PrinterColumns.text("Ready", "Ready pods out of the desired replicas."),
        .age,
        PrinterColumns.containers,
        PrinterColumns.images,
    ]) { statefulSet, object, now in
        let containers = PrintFormat.containers(statefulSet["spec", "template", "spec"])
        let desired = statefulSet["spec", "replicas"].int ?? 1
        return [
            .string(object.name),
            .string("\(statefulSet["status", "readyReplicas"].integer)/\(desired)"),
            .string(Age.of(object, now: now)),
            .string(containers.names), .string(containers.images),
        ]
    }

    static let controllerRevision = TablePrinter.fields([
        .name,
        PrinterColumns.text("Controller", "The object that owns this revision."),
        PrinterColumns.text("Revision", "The revision number of the captured state."),
        .age,
    ]) { revision, object, now in
        var controller = "<none>"
        let owner = revision["metadata", "ownerReferences"].items.first { $0["controller"].bool == true }
        if let owner {
            let apiVersion = owner["apiVersion"].text
            let group = apiVersion.contains("/") ? String(apiVersion.prefix { $0 != "/" }) : ""
            let kind = owner["kind"].text
            let groupKind = group.isEmpty ? kind : "\(kind).\(group)"
            controller = groupKind.isEmpty ? owner["name"].text : "\(groupKind.lowercased())/\(owner["name"].text)"
        }
        return [.string(object.name), .string(controller), .integer(revision["revision"].integer),
                .string(Age.of(object, now: now))]
    }
}
