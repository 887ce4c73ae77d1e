@testable import APIServer
import KubeCore
import Testing

/// `JSONValue.set` changes trees in place; copies taken before must keep their contents.
@Suite struct JSONValueSetTests {
    @Test func setsRemovesAndCreatesAlongThePath() {
        var object: JSONValue = ["metadata": ["name": "a", "labels": ["x": "1"]], "spec": ["n": 1]]
        object.set(["metadata", "uid"], "u-1")
        object.set(["metadata", "labels", "x"], nil)
        object.set(["status", "phase"], "Pending")
        object.set(["spec", "n", "deep"], true)
        #expect(object == ["metadata": ["name": "a", "uid": "u-1", "labels": [:]], "spec": ["n": ["deep": true]],
                           "status": ["phase": "Pending"]])
        var scalar: JSONValue = "text"
        scalar.set(["a"], 1)
        #expect(scalar == ["a": 1])
        scalar.set([], "whole")
        #expect(scalar == "whole")
    }

    @Test func copiesTakenBeforeAreUnchanged() {
        var object: JSONValue = ["metadata": ["name": "a", "annotations": ["k": "v"]]]
        let before = object
        let metadataBefore = object["metadata"]
        object.set(["metadata", "annotations", "k"], "changed")
        object.set(["metadata", "name"], nil)
        #expect(before == ["metadata": ["name": "a", "annotations": ["k": "v"]]])
        #expect(metadataBefore == ["name": "a", "annotations": ["k": "v"]])
        #expect(object == ["metadata": ["annotations": ["k": "changed"]]])
    }
}
