import Foundation
import KubeAPI
import KubeCore
import Testing

/// Defaults of the apps/v1 and batch/v1 workload kinds, checked on objects decoded from manifests.
@Suite struct WorkloadDefaultsTests {
    private static func decode<Value: Decodable>(_ type: Value.Type, _ json: String) throws -> Value {
        try KubeJSON.decode(Value.self, from: Data(json.utf8))
    }

    private static let template = #""template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}"#

    struct Case<Object: Sendable>: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var check: @Sendable (Object) -> Void
        var testDescription: String { name }
    }

    static let deploymentCases: [Case<Deployment>] = [
        Case(name: "empty spec gets every default", json: #"{"metadata":{"name":"web"},"spec":{\#(template)}}"#) { object in
            #expect(object.spec.replicas == 1)
            #expect(object.spec.strategy.type == "RollingUpdate")
            #expect(object.spec.strategy.rollingUpdate?.maxUnavailable == .string("25%"))
            #expect(object.spec.strategy.rollingUpdate?.maxSurge == .string("25%"))
            #expect(object.spec.revisionHistoryLimit == 10)
            #expect(object.spec.progressDeadlineSeconds == 600)
            #expect(object.spec.template.spec.restartPolicy == "Always")
        },
        Case(name: "explicit values are kept", json: #"""
            {"spec":{"replicas":0,"revisionHistoryLimit":2,"progressDeadlineSeconds":30,
            "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":2}},\#(template)}}
            """#) { object in
            #expect(object.spec.replicas == 0)
            #expect(object.spec.revisionHistoryLimit == 2)
            #expect(object.spec.progressDeadlineSeconds == 30)
            #expect(object.spec.strategy.rollingUpdate?.maxSurge == .int(2))
            #expect(object.spec.strategy.rollingUpdate?.maxUnavailable == .string("25%"))
        },
        Case(name: "Recreate gets no rolling update", json: #"{"spec":{"strategy":{"type":"Recreate"},\#(template)}}"#) { object in
            #expect(object.spec.strategy.rollingUpdate == nil)
        },
    ]

    @Test(arguments: deploymentCases) func deployment(_ testCase: Case<Deployment>) throws {
        var object = try Self.decode(Deployment.self, testCase.json)
        object.applyDefaults()
        testCase.check(object)
    }

    static let daemonSetCases: [Case<DaemonSet>] = [
        Case(name: "rolling update with maxUnavailable 1 and maxSurge 0", json: #"{"spec":{\#(template)}}"#) { object in
            #expect(object.spec.updateStrategy.type == "RollingUpdate")
            #expect(object.spec.updateStrategy.rollingUpdate?.maxUnavailable == .int(1))
            #expect(object.spec.updateStrategy.rollingUpdate?.maxSurge == .int(0))
            #expect(object.spec.revisionHistoryLimit == 10)
        },
        Case(name: "OnDelete is left alone", json: #"{"spec":{"updateStrategy":{"type":"OnDelete"},\#(template)}}"#) { object in
            #expect(object.spec.updateStrategy.rollingUpdate == nil)
            #expect(object.spec.revisionHistoryLimit == 10)
        },
    ]

    @Test(arguments: daemonSetCases) func daemonSet(_ testCase: Case<DaemonSet>) throws {
        var object = try Self.decode(DaemonSet.self, testCase.json)
        object.applyDefaults()
        testCase.check(object)
    }

    static let statefulSetCases: [Case<StatefulSet>] = [
        Case(name: "every default", json: #"{"spec":{"volumeClaimTemplates":[{"metadata":{"name":"data"}}],\#(template)}}"#) { object in
            #expect(object.spec.podManagementPolicy == "OrderedReady")
            #expect(object.spec.updateStrategy.type == "RollingUpdate")
            #expect(object.spec.updateStrategy.rollingUpdate?.partition == 0)
            #expect(object.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted == "Retain")
            #expect(object.spec.persistentVolumeClaimRetentionPolicy?.whenScaled == "Retain")
            #expect(object.spec.replicas == 1)
            #expect(object.spec.revisionHistoryLimit == 10)
            #expect(object.spec.volumeClaimTemplates.first?.spec.volumeMode == "Filesystem")
            #expect(object.spec.volumeClaimTemplates.first?.status.phase == "Pending")
        },
        Case(name: "explicit RollingUpdate without parameters stays without them", json: #"{"spec":{"updateStrategy":{"type":"RollingUpdate"},\#(template)}}"#) { object in
            #expect(object.spec.updateStrategy.rollingUpdate == nil)
        },
        Case(name: "partial retention policy is completed", json: #"{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Delete"},\#(template)}}"#) { object in
            #expect(object.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted == "Delete")
            #expect(object.spec.persistentVolumeClaimRetentionPolicy?.whenScaled == "Retain")
        },
    ]

    @Test(arguments: statefulSetCases) func statefulSet(_ testCase: Case<StatefulSet>) throws {
        var object = try Self.decode(StatefulSet.self, testCase.json)
        object.applyDefaults()
        testCase.check(object)
    }

    @Test func replicaSet() throws {
        var object = try Self.decode(ReplicaSet.self, #"{"spec":{\#(Self.template)}}"#)
        object.applyDefaults()
        #expect(object.spec.replicas == 1)
        #expect(object.spec.template.spec.dnsPolicy == "ClusterFirst")
    }

    static let jobCases: [Case<Job>] = [
        Case(name: "non-parallel job", json: #"{"metadata":{"name":"pi"},"spec":{\#(template)}}"#) { object in
            #expect(object.spec.parallelism == 1)
            #expect(object.spec.completions == 1)
            #expect(object.spec.backoffLimit == 6)
            #expect(object.spec.completionMode == "NonIndexed")
            #expect(object.spec.suspend == false)
            #expect(object.spec.manualSelector == false)
            #expect(object.spec.podReplacementPolicy == "TerminatingOrFailed")
            #expect(object.spec.selector == nil)
            #expect(object.metadata.labels == ["app": "web"])
        },
        Case(name: "completions only", json: #"{"spec":{"completions":5,\#(template)}}"#) { object in
            #expect(object.spec.parallelism == 1)
            #expect(object.spec.completions == 5)
        },
        Case(name: "parallelism only leaves completions unset", json: #"{"spec":{"parallelism":3,\#(template)}}"#) { object in
            #expect(object.spec.parallelism == 3)
            #expect(object.spec.completions == nil)
        },
        Case(name: "backoffLimitPerIndex lifts backoffLimit", json: #"{"spec":{"backoffLimitPerIndex":1,\#(template)}}"#) { object in
            #expect(object.spec.backoffLimit == Int32.max)
        },
        Case(name: "pod failure policy", json: #"""
            {"metadata":{"labels":{"own":"label"}},"spec":{"podFailurePolicy":{"rules":[{"action":"Ignore",
            "onPodConditions":[{"type":"DisruptionTarget"}]}]},\#(template)}}
            """#) { object in
            #expect(object.spec.podFailurePolicy?.rules.first?.onPodConditions.first?.status == "True")
            #expect(object.spec.podReplacementPolicy == "Failed")
            #expect(object.metadata.labels == ["own": "label"])
        },
    ]

    @Test(arguments: jobCases) func job(_ testCase: Case<Job>) throws {
        var object = try Self.decode(Job.self, testCase.json)
        object.applyDefaults()
        testCase.check(object)
    }

    @Test func cronJob() throws {
        var object = try Self.decode(
            CronJob.self, #"{"spec":{"schedule":"*/5 * * * *","jobTemplate":{"spec":{\#(Self.template)}}}}"#)
        object.applyDefaults()
        #expect(object.spec.concurrencyPolicy == "Allow")
        #expect(object.spec.suspend == false)
        #expect(object.spec.successfulJobsHistoryLimit == 3)
        #expect(object.spec.failedJobsHistoryLimit == 1)
        #expect(object.spec.jobTemplate.spec.template.spec.restartPolicy == "Always")
        // The job template's Job fields are defaulted per Job, not here.
        #expect(object.spec.jobTemplate.spec.backoffLimit == nil)
    }

    @Test func defaultsAreIdempotent() throws {
        var deployment = try Self.decode(Deployment.self, #"{"spec":{\#(Self.template)}}"#)
        deployment.applyDefaults()
        var again = deployment
        again.applyDefaults()
        #expect(again == deployment)
    }
}
