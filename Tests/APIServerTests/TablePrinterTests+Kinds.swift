import Foundation
import KubeCore
import Testing

@testable import APIServer

/// Cells of every non-pod printer, one realistic object (or a few tricky ones) per kind.
extension TablePrinterTests {
    static let workloadCases: [Case] = [
        Case(label: "deployment", group: "apps", kind: "Deployment", object: """
            {"metadata":{"name":"web","creationTimestamp":"\(ago(600))"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
              "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}},
             "status":{"replicas":3,"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}
            """, cells: ["web", "2/3", 3, 2, "10m", "nginx", "nginx:1.27", "app=web"]),
        Case(label: "deployment scaled to zero", group: "apps", kind: "Deployment", object: """
            {"metadata":{"name":"idle","creationTimestamp":"\(ago(60))"},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"idle"}},"template":{"spec":{"containers":[]}}},
             "status":{}}
            """, cells: ["idle", "0/0", 0, 0, "60s", "", "", "app=idle"]),
        Case(label: "replica set with expressions", group: "apps", kind: "ReplicaSet", object: """
            {"metadata":{"name":"web-5d8f","creationTimestamp":"\(ago(600))"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"},"matchExpressions":[
                {"key":"tier","operator":"In","values":["fe","be"]},{"key":"canary","operator":"DoesNotExist"}]},
              "template":{"spec":{"containers":[{"name":"a","image":"img-a"},{"name":"b","image":"img-b"}]}}},
             "status":{"replicas":2,"readyReplicas":1}}
            """, cells: ["web-5d8f", 2, 2, 1, "10m", "a,b", "img-a,img-b", "app=web,!canary,tier in (be,fe)"]),
        Case(label: "replication controller", group: "", kind: "ReplicationController", object: """
            {"metadata":{"name":"rc","creationTimestamp":"\(ago(60))"},
             "spec":{"replicas":3,"selector":{"app":"rc"},
              "template":{"spec":{"containers":[{"name":"c","image":"i"}]}}},
             "status":{"replicas":3,"readyReplicas":3}}
            """, cells: ["rc", 3, 3, 3, "60s", "c", "i", "app=rc"]),
        Case(label: "daemon set", group: "apps", kind: "DaemonSet", object: """
            {"metadata":{"name":"kube-proxy","creationTimestamp":"\(ago(86400 * 10))"},
             "spec":{"selector":{"matchLabels":{"k8s-app":"kube-proxy"}},
              "template":{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"},
                "containers":[{"name":"kube-proxy","image":"registry.k8s.io/kube-proxy:v1.32.0"}]}}},
             "status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,
              "updatedNumberScheduled":3,"numberAvailable":2}}
            """, cells: ["kube-proxy", 3, 3, 2, 3, 2, "kubernetes.io/os=linux", "10d", "kube-proxy",
                         "registry.k8s.io/kube-proxy:v1.32.0", "k8s-app=kube-proxy"]),
        Case(label: "stateful set", group: "apps", kind: "StatefulSet", object: """
            {"metadata":{"name":"db","creationTimestamp":"\(ago(600))"},
             "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"pg","image":"postgres:17"}]}}},
             "status":{"replicas":1}}
            """, cells: ["db", "0/3", "10m", "pg", "postgres:17"]),
        Case(label: "controller revision", group: "apps", kind: "ControllerRevision", object: """
            {"metadata":{"name":"db-7f9c","creationTimestamp":"\(ago(600))","ownerReferences":[
               {"apiVersion":"apps/v1","kind":"StatefulSet","name":"db","uid":"u1","controller":true}]},
             "revision":2,"data":{}}
            """, cells: ["db-7f9c", "statefulset.apps/db", 2, "10m"]),
        Case(label: "complete job", group: "batch", kind: "Job", object: """
            {"metadata":{"name":"pi","creationTimestamp":"\(ago(3600))"},
             "spec":{"completions":1,"parallelism":1,
              "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u1"}},
              "template":{"spec":{"containers":[{"name":"pi","image":"perl:5.34"}]}}},
             "status":{"succeeded":1,"startTime":"\(ago(3500))","completionTime":"\(ago(3425))",
              "conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}
            """, cells: ["pi", "Complete", "1/1", "75s", "60m", "pi", "perl:5.34",
                         "batch.kubernetes.io/controller-uid=u1"]),
        Case(label: "running job without completions", group: "batch", kind: "Job", object: """
            {"metadata":{"name":"work","creationTimestamp":"\(ago(200))"},
             "spec":{"parallelism":3,"template":{"spec":{"containers":[{"name":"w","image":"worker"}]}}},
             "status":{"active":3,"startTime":"\(ago(200))"}}
            """, cells: ["work", "Running", "0/1 of 3", "3m20s", "3m20s", "w", "worker", "<none>"]),
        Case(label: "suspended and failed jobs", group: "batch", kind: "Job", object: """
            {"metadata":{"name":"held","creationTimestamp":"\(ago(60))"},"spec":{"completions":5},
             "status":{"succeeded":2,"conditions":[{"type":"Suspended","status":"True"}]}}
            """, cells: ["held", "Suspended", "2/5", "", "60s", "", "", "<none>"]),
        Case(label: "failed job", group: "batch", kind: "Job", object: """
            {"metadata":{"name":"bad","creationTimestamp":"\(ago(60))","deletionTimestamp":"\(ago(1))"},
             "spec":{"completions":1},
             "status":{"failed":1,"conditions":[{"type":"FailureTarget","status":"True"},
                {"type":"Failed","status":"True"}]}}
            """, cells: ["bad", "Failed", "0/1", "", "60s", "", "", "<none>"]),
        Case(label: "cron job", group: "batch", kind: "CronJob", object: """
            {"metadata":{"name":"backup","creationTimestamp":"\(ago(86400 * 400))"},
             "spec":{"schedule":"*/5 * * * *","suspend":false,"jobTemplate":{"spec":{
               "template":{"spec":{"containers":[{"name":"b","image":"backup:1"}]}}}}},
             "status":{"active":[{"kind":"Job","name":"backup-1"}],"lastScheduleTime":"\(ago(120))"}}
            """, cells: ["backup", "*/5 * * * *", "<none>", "False", 1, "2m", "400d", "b", "backup:1", "<none>"]),
        Case(label: "cron job with a time zone, never run", group: "batch", kind: "CronJob", object: """
            {"metadata":{"name":"nightly","creationTimestamp":"\(ago(60))"},
             "spec":{"schedule":"0 3 * * *","timeZone":"Europe/Paris","jobTemplate":{"spec":{"template":{"spec":{}}}}},
             "status":{}}
            """, cells: ["nightly", "0 3 * * *", "Europe/Paris", "<unset>", 0, "<none>", "60s", "", "", "<none>"]),
    ]

    @Test(arguments: workloadCases)
    func workloads(_ testCase: Case) throws {
        try Self.run(testCase)
    }

    static let networkCases: [Case] = [
        Case(label: "cluster IP service", group: "", kind: "Service", object: """
            {"metadata":{"name":"web","creationTimestamp":"\(ago(600))"},
             "spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"selector":{"app":"web"},
              "ports":[{"port":80,"protocol":"TCP","targetPort":8080},{"port":53,"protocol":"UDP"}]}}
            """, cells: ["web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP", "10m", "app=web"]),
        Case(label: "node port service", group: "", kind: "Service", object: """
            {"metadata":{"name":"np","creationTimestamp":"\(ago(60))"},
             "spec":{"type":"NodePort","clusterIPs":["10.96.0.11"],"externalIPs":["192.0.2.1"],
              "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"}]}}
            """, cells: ["np", "NodePort", "10.96.0.11", "192.0.2.1", "80:30080/TCP", "60s", "<none>"]),
        Case(label: "pending load balancer", group: "", kind: "Service", object: """
            {"metadata":{"name":"lb","creationTimestamp":"\(ago(60))"},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.12","ports":[{"port":443,"nodePort":31443}]},
             "status":{"loadBalancer":{}}}
            """, cells: ["lb", "LoadBalancer", "10.96.0.12", "<pending>", "443:31443/TCP", "60s", "<none>"]),
        Case(label: "load balancer with ingress points", group: "", kind: "Service", object: """
            {"metadata":{"name":"lb2","creationTimestamp":"\(ago(60))"},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.13","ports":[{"port":80,"protocol":"TCP"}],
              "externalIPs":["192.0.2.9"]},
             "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"},{"hostname":"lb.example.com"}]}}}
            """, cells: ["lb2", "LoadBalancer", "10.96.0.13", "203.0.113.7,lb.example.com,192.0.2.9", "80/TCP", "60s",
                         "<none>"]),
        Case(label: "external name", group: "", kind: "Service", object: """
            {"metadata":{"name":"ext","creationTimestamp":"\(ago(60))"},
             "spec":{"type":"ExternalName","externalName":"db.example.com"}}
            """, cells: ["ext", "ExternalName", "<none>", "db.example.com", "<none>", "60s", "<none>"]),
        Case(label: "headless service", group: "", kind: "Service", object: """
            {"metadata":{"name":"db","creationTimestamp":"\(ago(60))"},
             "spec":{"type":"ClusterIP","clusterIP":"None","selector":{"app":"db"},
              "ports":[{"port":5432,"protocol":"TCP"}]}}
            """, cells: ["db", "ClusterIP", "None", "<none>", "5432/TCP", "60s", "app=db"]),
        Case(label: "endpoints truncated", group: "", kind: "Endpoints", object: """
            {"metadata":{"name":"web","creationTimestamp":"\(ago(60))"},
             "subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],
               "ports":[{"name":"http","port":80},{"name":"https","port":443}]}]}
            """, cells: ["web", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...", "60s"]),
        Case(label: "endpoints, IPv6 and headless", group: "", kind: "Endpoints", object: """
            {"metadata":{"name":"mixed","creationTimestamp":"\(ago(60))"},
             "subsets":[{"addresses":[{"ip":"fd00::1"}],"ports":[{"port":80}]},{"addresses":[{"ip":"10.0.0.9"}]}]}
            """, cells: ["mixed", "[fd00::1]:80,10.0.0.9", "60s"]),
        Case(label: "endpoints without subsets", group: "", kind: "Endpoints", object: """
            {"metadata":{"name":"none","creationTimestamp":"\(ago(60))"}}
            """, cells: ["none", "<none>", "60s"]),
        Case(label: "endpoint slice", group: "discovery.k8s.io", kind: "EndpointSlice", object: """
            {"metadata":{"name":"web-abc","creationTimestamp":"\(ago(60))"},"addressType":"IPv4",
             "ports":[{"name":"http","port":80,"protocol":"TCP"},{"name":"metrics"}],
             "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2","10.0.0.3"]},{"addresses":["10.0.0.4"]}]}
            """, cells: ["web-abc", "IPv4", "80,metrics", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "60s"]),
        Case(label: "empty endpoint slice", group: "discovery.k8s.io", kind: "EndpointSlice", object: """
            {"metadata":{"name":"empty","creationTimestamp":"\(ago(60))"},"addressType":"IPv6","endpoints":[]}
            """, cells: ["empty", "IPv6", "<unset>", "<unset>", "60s"]),
        Case(label: "ingress", group: "networking.k8s.io", kind: "Ingress", object: """
            {"metadata":{"name":"site","creationTimestamp":"\(ago(60))"},
             "spec":{"ingressClassName":"nginx","tls":[{"hosts":["a.example.com"]}],
              "rules":[{"host":"a.example.com"},{"host":"b.example.com"},{},
                {"host":"c.example.com"},{"host":"d.example.com"}]},
             "status":{"loadBalancer":{"ingress":[{"ip":"172.18.0.2"}]}}}
            """, cells: ["site", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...", "172.18.0.2",
                         "80, 443", "60s"]),
        Case(label: "ingress without class or hosts", group: "networking.k8s.io", kind: "Ingress", object: """
            {"metadata":{"name":"catch-all","creationTimestamp":"\(ago(60))"},
             "spec":{"defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}
            """, cells: ["catch-all", "<none>", "*", "", "80", "60s"]),
        Case(label: "ingress class", group: "networking.k8s.io", kind: "IngressClass", object: """
            {"metadata":{"name":"nginx","creationTimestamp":"\(ago(60))"},
             "spec":{"controller":"k8s.io/ingress-nginx",
              "parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"external-lb"}}}
            """, cells: ["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb", "60s"]),
    ]

    @Test(arguments: networkCases)
    func networking(_ testCase: Case) throws {
        try Self.run(testCase)
    }
}
