@testable import APIServer
import KubeCore
import Testing

@Suite struct SchemaWalkTests {
    @Test func reportsTheFirstMismatchInKeyOrderWhateverTheStorageOrder() throws {
        // Three wrong members; key order puts `spec.activeDeadlineSeconds` first.
        for _ in 0..<20 {
            let object = try JSONValueParser.parse(Array(#"""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
                 "spec":{"restartPolicy":7,"hostname":[],"activeDeadlineSeconds":"x","containers":[]}}
                """#.utf8))
            let report = SchemaWalk.check(object, typeName: "Pod")
            #expect(report.typeError == "json: cannot unmarshal string into Go struct field "
                + "PodSpec.spec.activeDeadlineSeconds of type int64")
        }
    }

    @Test func listsUnknownFieldsSortedWithTheirPaths() throws {
        let object = try JSONValueParser.parse(Array(#"""
            {"apiVersion":"v1","kind":"Pod","zeta":1,"metadata":{"name":"p","alpha":{}},
             "spec":{"containers":[{"name":"c","image":"i","colour":"red","env":[{"name":"A","valueFrom":{"x":1}}]}]}}
            """#.utf8))
        let report = SchemaWalk.check(object, typeName: "Pod")
        #expect(report.typeError == nil)
        #expect(report.unknownFields == [
            ".metadata.alpha", ".spec.containers[0].colour", ".spec.containers[0].env[0].valueFrom.x", ".zeta",
        ])
    }

    @Test func labelMapValuesAreChecked() throws {
        let object = try JSONValueParser.parse(Array(#"{"metadata":{"name":"p","labels":{"b":"ok","a":1}}}"#.utf8))
        let report = SchemaWalk.check(object, typeName: "Pod")
        #expect(report.typeError == "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels.a of type string")
    }
}
