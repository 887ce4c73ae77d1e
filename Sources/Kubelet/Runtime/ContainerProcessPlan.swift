import ContainerRuntime
import KubeAPI
import KubeCore

/// The parts of a container's runtime configuration that follow from the pod spec and the image alone:
/// the argv (Kubernetes `command`/`args` over the image's `Entrypoint`/`Cmd`), the environment (image first,
/// then the pod's, plus `HOSTNAME`), the working directory, security settings and cgroup resources.
///
/// Stateless; pure.
enum ContainerProcessPlan {
    static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// `command` given: `command + args` (image Entrypoint and Cmd ignored); only `args`: `Entrypoint + args`;
    /// neither: `Entrypoint + Cmd`.
    static func arguments(command: [String], args: [String], image: ImageConfiguration) -> [String] {
        if !command.isEmpty { return command + args }
        if !args.isEmpty { return image.entrypoint + args }
        return image.entrypoint + image.cmd
    }

    /// The image's environment overridden by name by the pod's, with `HOSTNAME` and a default `PATH`.
    static func environment(image: [String], pod: [String], hostname: String) -> [String] {
        var order: [String] = []
        var values: [String: String] = [:]
        func add(_ entry: String) {
            let name = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
            if values[name] == nil { order.append(name) }
            values[name] = entry
        }
        for entry in image { add(entry) }
        add("HOSTNAME=\(hostname)")
        for entry in pod { add(entry) }
        if values["PATH"] == nil { add(defaultPath) }
        return order.compactMap { values[$0] }
    }

    /// Memory limit in bytes, CFS quota from the cpu limit, shares from the cpu request (or the limit).
    static func resources(_ requirements: ResourceRequirements) -> ContainerResources {
        let limits = requirements.limits ?? [:]
        let requests = requirements.requests ?? [:]
        var resources = ContainerResources()
        if let memory = limits["memory"], memory.value > 0 { resources.memoryLimitBytes = memory.value }
        if let cpu = limits["cpu"], cpu.milliValue > 0 {
            resources.cpuPeriod = 100_000
            resources.cpuQuota = max(1000, cpu.milliValue * 100)
        }
        if let cpu = requests["cpu"] ?? limits["cpu"] {
            resources.cpuShares = UInt64(max(2, cpu.milliValue * 1024 / 1000))
        } else {
            resources.cpuShares = 2
        }
        return resources
    }

    /// The user from the image, overridden by the pod's and then the container's security context.
    static func user(imageUser: ContainerRuntime.ContainerUser, pod: PodSecurityContext?, container: SecurityContext?) -> ContainerRuntime.ContainerUser {
        var user = imageUser
        if let uid = container?.runAsUser ?? pod?.runAsUser { user.uid = UInt32(clamping: uid) }
        if let gid = container?.runAsGroup ?? pod?.runAsGroup { user.gid = UInt32(clamping: gid) }
        var groups = user.additionalGids
        for group in pod?.supplementalGroups ?? [] { groups.append(UInt32(clamping: group)) }
        if let fsGroup = pod?.fsGroup { groups.append(UInt32(clamping: fsGroup)) }
        user.additionalGids = groups
        return user
    }

    static func capabilities(_ context: SecurityContext?) -> ContainerCapabilities {
        ContainerCapabilities(add: context?.capabilities?.add ?? [], drop: context?.capabilities?.drop ?? [],
                              privileged: context?.privileged ?? false)
    }
}
