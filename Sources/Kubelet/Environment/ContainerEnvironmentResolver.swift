public import KubeAPI
import KubeCore

/// Builds a container's environment the way upstream's `makeEnvironmentVariables` does:
/// 1. `envFrom` sources in order (ConfigMap `data` or Secret `data`, keys prefixed with `prefix`; a missing
///    optional source is skipped; keys that are not valid names are skipped and reported);
/// 2. `env` in order: a non-empty `value` is `$(VAR)`-expanded against the variables defined so far and
///    the service variables (``VariableExpansion``), else `valueFrom` is resolved: `fieldRef`
///    (``PodFieldPath``), `resourceFieldRef` (``ContainerResourceValue``, limits defaulting to node
///    allocatable), `configMapKeyRef` / `secretKeyRef` (optional ones skip a missing object or key);
/// 3. service variables not defined by the container.
/// Errors are ``EnvironmentError`` values with upstream's texts (the kubelet's `CreateContainerConfigError`).
///
/// Value type; Sendable; each call fetches objects through the source (once per object per call).
public struct ContainerEnvironmentResolver: Sendable {
    public let objects: any PodObjectSource

    public init(objects: any PodObjectSource) {
        self.objects = objects
    }

    public func resolve(container: Container, pod: Pod, context: DownwardAPIContext = DownwardAPIContext(),
                        serviceEnvironment: [String: String] = [:]) async throws(EnvironmentError) -> ResolvedEnvironment
    {
        let namespace = pod.metadata.namespace
        var environment = OrderedEnvironment()
        var skipped: [SkippedEnvironmentKeys] = []
        var configMaps: [String: ConfigMap?] = [:]
        var secrets: [String: Secret?] = [:]

        func configMap(_ name: String) async throws(EnvironmentError) -> ConfigMap? {
            if let cached = configMaps[name] { return cached }
            let object: ConfigMap?
            do {
                object = try await objects.configMap(namespace: namespace, name: name)
            } catch {
                throw .objectUnavailable(kind: "configmap", namespace: namespace, name: name, detail: "\(error)")
            }
            configMaps[name] = .some(object)
            return object
        }
        func secret(_ name: String) async throws(EnvironmentError) -> Secret? {
            if let cached = secrets[name] { return cached }
            let object: Secret?
            do {
                object = try await objects.secret(namespace: namespace, name: name)
            } catch {
                throw .objectUnavailable(kind: "secret", namespace: namespace, name: name, detail: "\(error)")
            }
            secrets[name] = .some(object)
            return object
        }

        for source in container.envFrom {
            var invalid: [String] = []
            if let reference = source.configMapRef {
                guard let object = try await configMap(reference.name) else {
                    if reference.optional ?? false { continue }
                    throw .configMapNotFound(name: reference.name)
                }
                for key in object.data.keys.sorted() {
                    let name = source.prefix + key
                    if Self.isValidName(name) { environment.set(name, object.data[key]!) } else { invalid.append(name) }
                }
                if !invalid.isEmpty {
                    skipped.append(SkippedEnvironmentKeys(sourceKind: "configMap", namespace: namespace,
                                                          name: reference.name, keys: invalid.sorted()))
                }
            } else if let reference = source.secretRef {
                guard let object = try await secret(reference.name) else {
                    if reference.optional ?? false { continue }
                    throw .secretNotFound(name: reference.name)
                }
                for key in object.data.keys.sorted() {
                    let name = source.prefix + key
                    if Self.isValidName(name) {
                        environment.set(name, String(decoding: object.data[key]!, as: UTF8.self))
                    } else {
                        invalid.append(name)
                    }
                }
                if !invalid.isEmpty {
                    skipped.append(SkippedEnvironmentKeys(sourceKind: "secret", namespace: namespace,
                                                          name: reference.name, keys: invalid.sorted()))
                }
            }
        }

        for variable in container.env {
            var value = variable.value
            if !value.isEmpty {
                let defined = environment.values
                value = VariableExpansion.expand(value, mapping: VariableExpansion.mapping(defined, serviceEnvironment))
            } else if let source = variable.valueFrom {
                if let fieldRef = source.fieldRef {
                    value = try PodFieldPath.runtimeValue(fieldRef, pod: pod, context: context)
                } else if let resourceFieldRef = source.resourceFieldRef {
                    value = try ContainerResourceValue.value(resourceFieldRef, container: container,
                                                             nodeAllocatable: context.nodeAllocatable)
                } else if let reference = source.configMapKeyRef {
                    let optional = reference.optional ?? false
                    guard let object = try await configMap(reference.name) else {
                        if optional { continue }
                        throw .configMapNotFound(name: reference.name)
                    }
                    guard let found = object.data[reference.key] else {
                        if optional { continue }
                        throw .configMapKeyNotFound(namespace: namespace, name: reference.name, key: reference.key)
                    }
                    value = found
                } else if let reference = source.secretKeyRef {
                    let optional = reference.optional ?? false
                    guard let object = try await secret(reference.name) else {
                        if optional { continue }
                        throw .secretNotFound(name: reference.name)
                    }
                    guard let found = object.data[reference.key] else {
                        if optional { continue }
                        throw .secretKeyNotFound(namespace: namespace, name: reference.name, key: reference.key)
                    }
                    value = String(decoding: found, as: UTF8.self)
                }
            }
            environment.set(variable.name, value)
        }

        for name in serviceEnvironment.keys.sorted() where environment.values[name] == nil {
            environment.set(name, serviceEnvironment[name]!)
        }
        return ResolvedEnvironment(variables: environment.variables, skipped: skipped)
    }

    /// Upstream `ExpandContainerCommandAndArgs`: `$(VAR)` in command and args against the final environment.
    public static func expand(command: [String], args: [String], environment: [EnvironmentVariable])
        -> (command: [String], args: [String])
    {
        var values: [String: String] = [:]
        for variable in environment { values[variable.name] = variable.value }
        let mapping = VariableExpansion.mapping(values)
        return (command.map { VariableExpansion.expand($0, mapping: mapping) },
                args.map { VariableExpansion.expand($0, mapping: mapping) })
    }

    /// Upstream's relaxed environment variable name rule: printable ASCII except `=`, not empty.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != UInt8(ascii: "=") }
    }
}

/// Names in first-definition order with their latest values.
private struct OrderedEnvironment {
    var names: [String] = []
    var values: [String: String] = [:]

    mutating func set(_ name: String, _ value: String) {
        if values.updateValue(value, forKey: name) == nil { names.append(name) }
    }

    var variables: [EnvironmentVariable] { names.map { EnvironmentVariable(name: $0, value: values[$0]!) } }
}
