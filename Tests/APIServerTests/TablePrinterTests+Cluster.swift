import Foundation
import KubeCore
import Testing

@testable import APIServer

/// Cells of the cluster, configuration, storage and event printers.
extension TablePrinterTests {
    static let clusterCases: [Case] = [
        Case(label: "node", group: "", kind: "Node", object: """
            {"metadata":{"name":"node-1","creationTimestamp":"\(ago(86400 * 30))","labels":{
               "node-role.kubernetes.io/control-plane":"","kubernetes.io/role":"worker","node-role.kubernetes.io/":""}},
             "spec":{"unschedulable":true},
             "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
              "addresses":[{"type":"InternalIP","address":"172.18.0.2"},{"type":"Hostname","address":"node-1"}],
              "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian GNU/Linux 12 (bookworm)",
                "kernelVersion":"6.8.0","containerRuntimeVersion":"containerd://1.7.24"}}}
            """, cells: ["node-1", "Ready,SchedulingDisabled", "control-plane,worker", "30d", "v1.32.0", "172.18.0.2",
                         "<none>", "Debian GNU/Linux 12 (bookworm)", "6.8.0", "containerd://1.7.24"]),
        Case(label: "node without status", group: "", kind: "Node", object: """
            {"metadata":{"name":"new","creationTimestamp":"\(ago(5))"},
             "status":{"conditions":[{"type":"Ready","status":"Unknown"}],
              "addresses":[{"type":"ExternalIP","address":"198.51.100.4"}]}}
            """, cells: ["new", "NotReady", "<none>", "5s", "", "<none>", "198.51.100.4", "<unknown>", "<unknown>",
                         "<unknown>"]),
        Case(label: "namespace", group: "", kind: "Namespace", object: """
            {"metadata":{"name":"default","creationTimestamp":"\(ago(98_496_000))"},"status":{"phase":"Active"}}
            """, cells: ["default", "Active", "3y45d"]),
        Case(label: "config map", group: "", kind: "ConfigMap", object: """
            {"metadata":{"name":"settings","creationTimestamp":"\(ago(60))"},
             "data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}
            """, cells: ["settings", 3, "60s"]),
        Case(label: "secret", group: "", kind: "Secret", object: """
            {"metadata":{"name":"tls","creationTimestamp":"\(ago(60))"},"type":"kubernetes.io/tls",
             "data":{"tls.crt":"Y3J0","tls.key":"a2V5"}}
            """, cells: ["tls", "kubernetes.io/tls", 2, "60s"]),
        Case(label: "service account", group: "", kind: "ServiceAccount", object: """
            {"metadata":{"name":"builder","creationTimestamp":"\(ago(60))"},"secrets":[{"name":"builder-token"}]}
            """, cells: ["builder", 1, "60s"]),
        Case(label: "resource quota", group: "", kind: "ResourceQuota", object: """
            {"metadata":{"name":"compute","creationTimestamp":"\(ago(600))"},
             "status":{"hard":{"pods":"10","requests.cpu":"1","requests.memory":"1Gi","limits.memory":"2Gi"},
              "used":{"pods":"2","requests.cpu":"500m"}}}
            """, cells: ["compute", "10m", "pods: 2/10, requests.cpu: 500m/1, requests.memory: 0/1Gi",
                         "limits.memory: 0/2Gi"]),
        Case(label: "limit range uses the default table", group: "", kind: "LimitRange", object: """
            {"metadata":{"name":"limits","creationTimestamp":"\(ago(600))"},"spec":{"limits":[]}}
            """, cells: ["limits", .string(ago(600))]),
        Case(label: "lease", group: "coordination.k8s.io", kind: "Lease", object: """
            {"metadata":{"name":"kube-scheduler","creationTimestamp":"\(ago(600))"},
             "spec":{"holderIdentity":"node-1_4b1c","leaseDurationSeconds":15}}
            """, cells: ["kube-scheduler", "node-1_4b1c", "10m"]),
        Case(label: "pod disruption budget", group: "policy", kind: "PodDisruptionBudget", object: """
            {"metadata":{"name":"web","creationTimestamp":"\(ago(600))"},
             "spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"web"}}},"status":{"disruptionsAllowed":1}}
            """, cells: ["web", "2", "N/A", 1, "10m"]),
        Case(label: "pod disruption budget by percentage", group: "policy", kind: "PodDisruptionBudget", object: """
            {"metadata":{"name":"db","creationTimestamp":"\(ago(600))"},"spec":{"maxUnavailable":"25%"},"status":{}}
            """, cells: ["db", "N/A", "25%", 0, "10m"]),
    ]

    @Test(arguments: clusterCases)
    func cluster(_ testCase: Case) throws {
        try Self.run(testCase)
    }

    static let storageCases: [Case] = [
        Case(label: "bound volume", group: "", kind: "PersistentVolume", object: """
            {"metadata":{"name":"pv-1","creationTimestamp":"\(ago(600))"},
             "spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteMany","ReadWriteOnce","ReadWriteOnce"],
              "persistentVolumeReclaimPolicy":"Retain","claimRef":{"namespace":"default","name":"data"},
              "storageClassName":"standard","volumeMode":"Filesystem","hostPath":{"path":"/data"}},
             "status":{"phase":"Bound"}}
            """, cells: ["pv-1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "standard", "<unset>", "", "10m",
                         "Filesystem"]),
        Case(label: "failed volume being deleted", group: "", kind: "PersistentVolume", object: """
            {"metadata":{"name":"pv-2","creationTimestamp":"\(ago(600))","deletionTimestamp":"\(ago(1))",
               "annotations":{"volume.beta.kubernetes.io/storage-class":"slow"}},
             "spec":{"capacity":{"storage":"1.5Gi"},"accessModes":["ReadWriteOncePod"],
              "persistentVolumeReclaimPolicy":"Recycle","storageClassName":"standard",
              "volumeAttributesClassName":"gold"},
             "status":{"phase":"Failed","reason":"VolumeFailedRecycle"}}
            """, cells: ["pv-2", "1536Mi", "RWOP", "Recycle", "Terminating", "", "slow", "gold", "VolumeFailedRecycle",
                         "10m", "<unset>"]),
        Case(label: "bound claim", group: "", kind: "PersistentVolumeClaim", object: """
            {"metadata":{"name":"data","creationTimestamp":"\(ago(600))"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}},
              "storageClassName":"standard","volumeName":"pv-1","volumeMode":"Filesystem"},
             "status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"10Gi"}}}
            """, cells: ["data", "Bound", "pv-1", "10Gi", "RWO", "standard", "<unset>", "10m", "Filesystem"]),
        Case(label: "pending claim", group: "", kind: "PersistentVolumeClaim", object: """
            {"metadata":{"name":"wait","creationTimestamp":"\(ago(60))"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}}},
             "status":{"phase":"Pending"}}
            """, cells: ["wait", "Pending", "", "", "", "", "<unset>", "60s", "<unset>"]),
        Case(label: "default storage class", group: "storage.k8s.io", kind: "StorageClass", object: """
            {"metadata":{"name":"standard","creationTimestamp":"\(ago(600))",
               "annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
             "provisioner":"rancher.io/local-path","volumeBindingMode":"WaitForFirstConsumer"}
            """, cells: ["standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false,
                         "10m"]),
        Case(label: "other storage class", group: "storage.k8s.io", kind: "StorageClass", object: """
            {"metadata":{"name":"fast","creationTimestamp":"\(ago(600))",
               "annotations":{"storageclass.kubernetes.io/is-default-class":"false"}},
             "provisioner":"ebs.csi.aws.com","reclaimPolicy":"Retain","allowVolumeExpansion":true}
            """, cells: ["fast", "ebs.csi.aws.com", "Retain", "Immediate", true, "10m"]),
    ]

    @Test(arguments: storageCases)
    func storage(_ testCase: Case) throws {
        try Self.run(testCase)
    }

    static let eventCases: [Case] = [
        Case(label: "core event", group: "", kind: "Event", object: """
            {"metadata":{"name":"web-1.17a2b","namespace":"default","creationTimestamp":"\(ago(600))"},
             "involvedObject":{"kind":"Pod","namespace":"default","name":"web-1","fieldPath":"spec.containers{web}"},
             "reason":"Pulled","message":"  Successfully pulled image \\"nginx\\"\\n","type":"Normal",
             "source":{"component":"kubelet","host":"node-1"},
             "firstTimestamp":"\(ago(600))","lastTimestamp":"\(ago(60))","count":3}
            """, cells: ["60s", "Normal", "Pulled", "pod/web-1", "spec.containers{web}", "kubelet, node-1",
                         "Successfully pulled image \"nginx\"", "10m", 3, "web-1.17a2b"]),
        Case(label: "core event with a series", group: "", kind: "Event", object: """
            {"metadata":{"name":"node.sched","creationTimestamp":"\(ago(600))"},
             "involvedObject":{"kind":"Node"},"reason":"FailedScheduling","message":"0/1 nodes are available",
             "type":"Warning","eventTime":"2025-01-01T11:55:00.123456Z",
             "series":{"count":4,"lastObservedTime":"2025-01-01T11:58:00.000000Z"},
             "reportingComponent":"default-scheduler","reportingInstance":"default-scheduler-node-1"}
            """, cells: ["2m", "Warning", "FailedScheduling", "node", "", "default-scheduler, default-scheduler-node-1",
                         "0/1 nodes are available", "4m59s", 4, "node.sched"]),
        Case(label: "singleton core event", group: "", kind: "Event", object: """
            {"metadata":{"name":"one"},"involvedObject":{"kind":"ConfigMap","name":"cm"},"reason":"Touched",
             "firstTimestamp":"\(ago(30))","source":{"component":"me"}}
            """, cells: ["30s", "", "Touched", "configmap/cm", "", "me", "", "30s", 1, "one"]),
        Case(label: "events.k8s.io event", group: "events.k8s.io", kind: "Event", object: """
            {"metadata":{"name":"ev1","creationTimestamp":"\(ago(60))"},"eventTime":"2025-01-01T11:59:00.000000Z",
             "reportingController":"kubelet","reportingInstance":"node-1","action":"Pulling","reason":"Pulling",
             "regarding":{"kind":"Pod","name":"web-1","fieldPath":"spec.containers{web}"},"note":"Pulling image",
             "type":"Normal"}
            """, cells: ["60s", "Normal", "Pulling", "pod/web-1", "spec.containers{web}", "kubelet, node-1",
                         "Pulling image", "60s", 1, "ev1"]),
        Case(label: "events.k8s.io event with deprecated fields", group: "events.k8s.io", kind: "Event", object: """
            {"metadata":{"name":"ev2"},"eventTime":null,"reason":"Started","note":"ok","type":"Normal",
             "regarding":{"kind":"Pod","name":"web-2"},"deprecatedSource":{"component":"kubelet"},
             "deprecatedFirstTimestamp":"\(ago(7200))","deprecatedLastTimestamp":"\(ago(120))","deprecatedCount":7}
            """, cells: ["2m", "Normal", "Started", "pod/web-2", "", "kubelet", "ok", "120m", 7, "ev2"]),
    ]

    @Test(arguments: eventCases)
    func events(_ testCase: Case) throws {
        try Self.run(testCase)
    }
}
