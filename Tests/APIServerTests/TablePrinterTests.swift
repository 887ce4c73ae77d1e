import Foundation
import KubeCore
import Testing

@testable import APIServer

/// The built-in Table printers against realistic objects: columns in order, and the exact cells upstream
/// `pkg/printers/internalversion` (v1.32) produces.
struct TablePrinterTests {
    /// 2025-01-01T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_735_732_800)

    /// The RFC 3339 time `seconds` before ``now``.
    static func ago(_ seconds: Int64) -> String {
        RFC3339Time(secondsSince1970: 1_735_732_800 - seconds).description
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var group: String
        var kind: String
        var object: String
        var cells: [JSONValue]
        var testDescription: String { label }
    }

    static func parse(_ text: String) throws -> JSONValue {
        try JSONValueParser.parse(Array(text.utf8))
    }

    static func run(_ testCase: Case) throws {
        let printer = try #require(BuiltinPrinters.printer(group: testCase.group, kind: testCase.kind))
        let cells = printer.cells(try parse(testCase.object), now)
        #expect(cells == testCase.cells)
        #expect(cells.count == printer.columns.count)
    }

    // MARK: Columns

    static let columnCases: [(group: String, kind: String, columns: [String])] = [
        ("", "Pod", ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"]),
        ("", "PodTemplate", ["Name", "Containers", "Images", "Pod Labels"]),
        ("", "ReplicationController", ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images",
                                       "Selector"]),
        ("apps", "ReplicaSet", ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"]),
        ("apps", "Deployment", ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"]),
        ("apps", "DaemonSet", ["Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age",
                               "Containers", "Images", "Selector"]),
        ("apps", "StatefulSet", ["Name", "Ready", "Age", "Containers", "Images"]),
        ("apps", "ControllerRevision", ["Name", "Controller", "Revision", "Age"]),
        ("batch", "Job", ["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"]),
        ("batch", "CronJob", ["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers",
                              "Images", "Selector"]),
        ("", "Service", ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"]),
        ("", "Endpoints", ["Name", "Endpoints", "Age"]),
        ("discovery.k8s.io", "EndpointSlice", ["Name", "AddressType", "Ports", "Endpoints", "Age"]),
        ("", "Node", ["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image",
                      "Kernel-Version", "Container-Runtime"]),
        ("", "Namespace", ["Name", "Status", "Age"]),
        ("", "ConfigMap", ["Name", "Data", "Age"]),
        ("", "Secret", ["Name", "Type", "Data", "Age"]),
        ("", "ServiceAccount", ["Name", "Secrets", "Age"]),
        ("", "Event", ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count",
                       "Name"]),
        ("events.k8s.io", "Event", ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                                    "First Seen", "Count", "Name"]),
        ("", "PersistentVolume", ["Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim",
                                  "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode"]),
        ("", "PersistentVolumeClaim", ["Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
                                       "VolumeAttributesClass", "Age", "VolumeMode"]),
        ("storage.k8s.io", "StorageClass", ["Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode",
                                            "AllowVolumeExpansion", "Age"]),
        ("networking.k8s.io", "Ingress", ["Name", "Class", "Hosts", "Address", "Ports", "Age"]),
        ("networking.k8s.io", "IngressClass", ["Name", "Controller", "Parameters", "Age"]),
        ("coordination.k8s.io", "Lease", ["Name", "Holder", "Age"]),
        ("policy", "PodDisruptionBudget", ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"]),
        ("", "LimitRange", ["Name", "Created At"]),
        ("", "ResourceQuota", ["Name", "Age", "Request", "Limit"]),
    ]

    @Test(arguments: columnCases.indices)
    func columnsInUpstreamOrder(index: Int) throws {
        let expected = Self.columnCases[index]
        let printer = try #require(BuiltinPrinters.printer(group: expected.group, kind: expected.kind))
        #expect(printer.columns.map(\.name) == expected.columns, "\(expected.group)/\(expected.kind)")
        #expect(printer.columns.filter { $0.format == "name" }.count == 1)
    }

    @Test func widePrioritiesAndTypes() throws {
        let pod = try #require(BuiltinPrinters.printer(group: "", kind: "Pod"))
        #expect(pod.columns.map(\.priority) == [0, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(pod.columns[0].format == "name")
        let event = try #require(BuiltinPrinters.printer(group: "", kind: "Event"))
        #expect(event.columns.map(\.priority) == [0, 0, 0, 0, 1, 1, 0, 1, 1, 1])
        #expect(event.columns.last?.format == "name")
        let replicaSet = try #require(BuiltinPrinters.printer(group: "apps", kind: "ReplicaSet"))
        #expect(replicaSet.columns.map(\.type) == ["string", "integer", "integer", "integer", "string", "string",
                                                   "string", "string"])
        let cronJob = try #require(BuiltinPrinters.printer(group: "batch", kind: "CronJob"))
        #expect(cronJob.columns[3].type == "boolean")
        #expect(BuiltinPrinters.printer(group: "", kind: "Widget") == nil)
        #expect(BuiltinPrinters.printer(group: "example.com", kind: "Pod") == nil)
    }

    // MARK: Pods

    static let podCases: [Case] = [
        Case(label: "running 1/1 with restarts", group: "", kind: "Pod", object: """
            {"metadata":{"name":"web-1","creationTimestamp":"\(ago(3600))"},
             "spec":{"nodeName":"node-1","containers":[{"name":"web","image":"nginx"}]},
             "status":{"phase":"Running","podIP":"10.244.0.5","podIPs":[{"ip":"10.244.0.5"}],
              "conditions":[{"type":"Ready","status":"True"}],
              "containerStatuses":[{"name":"web","ready":true,"restartCount":2,
                "state":{"running":{"startedAt":"\(ago(300))"}},
                "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"\(ago(300))"}}}]}}
            """, cells: ["web-1", "1/1", "Running", "2 (5m ago)", "60m", "10.244.0.5", "node-1", "<none>", "<none>"]),
        Case(label: "CrashLoopBackOff with readiness gates", group: "", kind: "Pod", object: """
            {"metadata":{"name":"crash","creationTimestamp":"\(ago(600))"},
             "spec":{"nodeName":"node-1","containers":[{"name":"app","image":"busybox"}],
              "readinessGates":[{"conditionType":"example.com/lb"},{"conditionType":"example.com/dns"}]},
             "status":{"phase":"Running","podIPs":[{"ip":"fd00::5"}],"nominatedNodeName":"node-2",
              "conditions":[{"type":"example.com/lb","status":"True"},{"type":"Ready","status":"False"}],
              "containerStatuses":[{"name":"app","ready":false,"restartCount":5,
                "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}},
                "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"\(ago(30))"}}}]}}
            """, cells: ["crash", "0/1", "CrashLoopBackOff", "5 (30s ago)", "10m", "fd00::5", "node-1", "node-2",
                         "1/2"]),
        Case(label: "Init:0/1", group: "", kind: "Pod", object: """
            {"metadata":{"name":"init","creationTimestamp":"\(ago(5))"},
             "spec":{"initContainers":[{"name":"setup","image":"busybox"}],
              "containers":[{"name":"app","image":"nginx"}]},
             "status":{"phase":"Pending",
              "initContainerStatuses":[{"name":"setup","ready":false,"restartCount":0,"state":{"running":{}}}],
              "containerStatuses":[{"name":"app","ready":false,"restartCount":0,
                "state":{"waiting":{"reason":"PodInitializing"}}}]}}
            """, cells: ["init", "0/1", "Init:0/1", "0", "5s", "<none>", "<none>", "<none>", "<none>"]),
        Case(label: "Init:CrashLoopBackOff", group: "", kind: "Pod", object: """
            {"metadata":{"name":"init-crash","creationTimestamp":"\(ago(900))"},
             "spec":{"initContainers":[{"name":"setup"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Pending","conditions":[{"type":"Initialized","status":"False"}],
              "initContainerStatuses":[{"name":"setup","restartCount":3,
                "state":{"waiting":{"reason":"CrashLoopBackOff"}},
                "lastState":{"terminated":{"exitCode":1,"finishedAt":"\(ago(90))"}}}],
              "containerStatuses":[{"name":"app","restartCount":0,"state":{"waiting":{"reason":"PodInitializing"}}}]}}
            """, cells: ["init-crash", "0/1", "Init:CrashLoopBackOff", "3 (90s ago)", "15m", "<none>", "<none>",
                         "<none>",
                         "<none>"]),
        Case(label: "init container failed without a reason", group: "", kind: "Pod", object: """
            {"metadata":{"name":"init-failed","creationTimestamp":"\(ago(60))"},
             "spec":{"initContainers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Failed","initContainerStatuses":[
                {"name":"a","state":{"terminated":{"exitCode":0}}},
                {"name":"b","state":{"terminated":{"exitCode":2}}}]}}
            """, cells: ["init-failed", "0/1", "Init:ExitCode:2", "0", "60s", "<none>", "<none>", "<none>", "<none>"]),
        Case(label: "Completed", group: "", kind: "Pod", object: """
            {"metadata":{"name":"job-abc","creationTimestamp":"\(ago(7200))"},
             "spec":{"containers":[{"name":"main"}]},
             "status":{"phase":"Succeeded","conditions":[{"type":"Ready","status":"False","reason":"PodCompleted"}],
              "containerStatuses":[{"name":"main","ready":false,"restartCount":0,
                "state":{"terminated":{"exitCode":0,"reason":"Completed","finishedAt":"\(ago(7000))"}}}]}}
            """, cells: ["job-abc", "0/1", "Completed", "0", "120m", "<none>", "<none>", "<none>", "<none>"]),
        Case(label: "Terminating", group: "", kind: "Pod", object: """
            {"metadata":{"name":"going","creationTimestamp":"\(ago(86400 * 3))","deletionTimestamp":"\(ago(0))"},
             "spec":{"nodeName":"node-1","containers":[{"name":"web"}]},
             "status":{"phase":"Running","podIP":"10.244.0.9",
              "containerStatuses":[{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """, cells: ["going", "1/1", "Terminating", "0", "3d", "10.244.0.9", "node-1", "<none>", "<none>"]),
        Case(label: "NodeLost while deleting is Unknown", group: "", kind: "Pod", object: """
            {"metadata":{"name":"lost","creationTimestamp":"\(ago(60))","deletionTimestamp":"\(ago(0))"},
             "spec":{"containers":[{"name":"web"}]},"status":{"phase":"Running","reason":"NodeLost"}}
            """, cells: ["lost", "0/1", "Unknown", "0", "60s", "<none>", "<none>", "<none>", "<none>"]),
        Case(label: "NotReady: one container completed, one running", group: "", kind: "Pod", object: """
            {"metadata":{"name":"half","creationTimestamp":"\(ago(60))"},
             "spec":{"containers":[{"name":"a"},{"name":"b"}]},
             "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}],
              "containerStatuses":[
                {"name":"a","ready":true,"restartCount":0,"state":{"running":{}}},
                {"name":"b","ready":false,"restartCount":0,
                 "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}}
            """, cells: ["half", "1/2", "NotReady", "0", "60s", "<none>", "<none>", "<none>", "<none>"]),
        Case(label: "sidecar counts toward READY and RESTARTS", group: "", kind: "Pod", object: """
            {"metadata":{"name":"meshed","creationTimestamp":"\(ago(1800))"},
             "spec":{"initContainers":[{"name":"proxy","restartPolicy":"Always"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"},
                {"type":"Ready","status":"True"}],
              "initContainerStatuses":[{"name":"proxy","started":true,"ready":true,"restartCount":1,
                "state":{"running":{}},"lastState":{"terminated":{"exitCode":137,"finishedAt":"\(ago(600))"}}}],
              "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """, cells: ["meshed", "2/2", "Running", "1 (10m ago)", "30m", "<none>", "<none>", "<none>", "<none>"]),
        Case(label: "SchedulingGated", group: "", kind: "Pod", object: """
            {"metadata":{"name":"gated","creationTimestamp":"\(ago(10))"},
             "spec":{"schedulingGates":[{"name":"example.com/wait"}],"containers":[{"name":"app"}]},
             "status":{"phase":"Pending",
              "conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}}
            """, cells: ["gated", "0/1", "SchedulingGated", "0", "10s", "<none>", "<none>", "<none>", "<none>"]),
        Case(label: "killed by a signal", group: "", kind: "Pod", object: """
            {"metadata":{"name":"killed"},"spec":{"containers":[{"name":"app"}]},
             "status":{"phase":"Failed","containerStatuses":[{"name":"app","restartCount":0,
                "state":{"terminated":{"exitCode":137,"signal":9}}}]}}
            """, cells: ["killed", "0/1", "Signal:9", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>"]),
        Case(label: "pod template", group: "", kind: "PodTemplate", object: """
            {"metadata":{"name":"tpl"},"template":{"metadata":{"labels":{"tier":"fe","app":"web"}},
              "spec":{"containers":[{"name":"web","image":"nginx:1.27"},{"name":"log","image":"fluent-bit"}]}}}
            """, cells: ["tpl", "web,log", "nginx:1.27,fluent-bit", "app=web,tier=fe"]),
    ]

    @Test(arguments: podCases)
    func pods(_ testCase: Case) throws {
        try Self.run(testCase)
    }

    // MARK: Ages

    @Test(arguments: [
        (0.0, "0s"), (-1.5, "0s"), (-3.0, "<invalid>"), (1.9, "1s"), (119.0, "119s"), (120.0, "2m"),
        (599.0, "9m59s"), (600.0, "10m"), (10_799.0, "179m"), (10_800.0, "3h"), (28_740.0, "7h59m"),
        (28_800.0, "8h"), (172_799.0, "47h"), (183_600.0, "2d3h"), (691_199.0, "7d23h"), (691_200.0, "8d"),
        (63_071_999.0, "729d"), (63_072_000.0, "2y"), (98_496_000.0, "3y45d"), (252_288_000.0, "8y"),
    ])
    func humanDurations(seconds: Double, expected: String) {
        #expect(Age.human(seconds) == expected)
    }

    @Test func ageOfAnObject() throws {
        let object = try Self.parse(#"{"metadata":{"name":"a","creationTimestamp":"\#(Self.ago(183_600))"}}"#)
        #expect(Age.of(object, now: Self.now) == "2d3h")
        #expect(Age.of(try Self.parse(#"{"metadata":{"name":"a"}}"#), now: Self.now) == "<unknown>")
    }
}
