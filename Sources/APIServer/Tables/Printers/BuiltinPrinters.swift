/// The Table printers of the built-in kinds, matching upstream `pkg/printers/internalversion` (v1.32): the
/// same columns, priorities and cell values, so `kubectl get` prints what it prints against a real cluster.
public enum BuiltinPrinters {
    /// The printer for a kind, or nil for kinds upstream prints with the default NAME / CREATED AT table.
    public static func printer(group: String, kind: String) -> TablePrinter? {
        switch group {
        case "": core(kind)
        case "apps": apps(kind)
        case "batch": batch(kind)
        case "discovery.k8s.io": kind == "EndpointSlice" ? NetworkPrinters.endpointSlice : nil
        case "events.k8s.io": kind == "Event" ? EventPrinters.eventsV1 : nil
        case "networking.k8s.io": networking(kind)
        case "coordination.k8s.io": kind == "Lease" ? ClusterPrinters.lease : nil
        case "policy": kind == "PodDisruptionBudget" ? ClusterPrinters.podDisruptionBudget : nil
        case "storage.k8s.io": kind == "StorageClass" ? StoragePrinters.storageClass : nil
        case "autoscaling": kind == "Scale" ? ClusterPrinters.scale : nil
        case "rbac.authorization.k8s.io": rbac(kind)
        case "certificates.k8s.io":
            kind == "CertificateSigningRequest" ? CertificatePrinters.certificateSigningRequest : nil
        case "scheduling.k8s.io": kind == "PriorityClass" ? AccessPrinters.priorityClass : nil
        case "node.k8s.io": kind == "RuntimeClass" ? AccessPrinters.runtimeClass : nil
        case "admissionregistration.k8s.io":
            kind == "MutatingWebhookConfiguration" || kind == "ValidatingWebhookConfiguration"
                ? AccessPrinters.webhookConfiguration : nil
        default: nil
        }
    }

    private static func core(_ kind: String) -> TablePrinter? {
        switch kind {
        case "Pod": PodPrinters.pod
        case "PodTemplate": PodPrinters.podTemplate
        case "ReplicationController": AppsPrinters.replicationController
        case "Service": NetworkPrinters.service
        case "Endpoints": NetworkPrinters.endpoints
        case "Node": ClusterPrinters.node
        case "Namespace": ClusterPrinters.namespace
        case "ConfigMap": ClusterPrinters.configMap
        case "Secret": ClusterPrinters.secret
        case "ServiceAccount": ClusterPrinters.serviceAccount
        case "Event": EventPrinters.core
        case "PersistentVolume": StoragePrinters.persistentVolume
        case "PersistentVolumeClaim": StoragePrinters.persistentVolumeClaim
        case "ResourceQuota": ClusterPrinters.resourceQuota
        case "ComponentStatus": ClusterPrinters.componentStatus
        // Upstream has no LimitRange printer: the generic NAME / CREATED AT table.
        case "LimitRange": TablePrinter.default
        default: nil
        }
    }

    private static func apps(_ kind: String) -> TablePrinter? {
        switch kind {
        case "Deployment": AppsPrinters.deployment
        case "ReplicaSet": AppsPrinters.replicaSet
        case "DaemonSet": AppsPrinters.daemonSet
        case "StatefulSet": AppsPrinters.statefulSet
        case "ControllerRevision": AppsPrinters.controllerRevision
        default: nil
        }
    }

    private static func batch(_ kind: String) -> TablePrinter? {
        switch kind {
        case "Job": BatchPrinters.job
        case "CronJob": BatchPrinters.cronJob
        default: nil
        }
    }

    private static func networking(_ kind: String) -> TablePrinter? {
        switch kind {
        case "Ingress": NetworkPrinters.ingress
        case "IngressClass": NetworkPrinters.ingressClass
        case "NetworkPolicy": NetworkPrinters.networkPolicy
        default: nil
        }
    }

    private static func rbac(_ kind: String) -> TablePrinter? {
        switch kind {
        // Upstream's role printer has the default NAME / CREATED AT columns.
        case "Role", "ClusterRole": TablePrinter.default
        case "RoleBinding": AccessPrinters.roleBinding
        case "ClusterRoleBinding": AccessPrinters.clusterRoleBinding
        default: nil
        }
    }
}
