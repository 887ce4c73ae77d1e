import Foundation
import KubeAPI
import KubeCore

/// The per-pod files the kubelet mounts into every container: `/etc/hosts` (localhost, the pod's own name
/// and IP, `hostAliases`), `/etc/resolv.conf` (the node's, or `dnsConfig`), `/etc/hostname`.
///
/// Stateless; `write` does the file IO.
enum PodFiles {
    static func hosts(pod: Pod, podIP: String) -> String {
        var lines = ["# Kubernetes-managed hosts file.", "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback",
                     "fe00::0\tip6-localnet", "fe00::0\tip6-mcastprefix", "fe00::1\tip6-allnodes",
                     "fe00::2\tip6-allrouters"]
        if !podIP.isEmpty { lines.append("\(podIP)\t\(hostname(of: pod))") }
        let aliases = pod.spec.hostAliases
        if !aliases.isEmpty {
            lines.append("")
            lines.append("# Entries added by HostAliases.")
            for alias in aliases { lines.append("\(alias.ip)\t\(alias.hostnames.joined(separator: "\t"))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func hostname(of pod: Pod) -> String {
        pod.spec.hostname.isEmpty ? String(pod.metadata.name.prefix(63)) : pod.spec.hostname
    }

    static func resolvConf(pod: Pod, hostResolvConf: String) -> String {
        var nameservers: [String] = []
        var searches: [String] = []
        var options: [String] = []
        if pod.spec.dnsPolicy != "None" {
            for line in hostResolvConf.split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                guard let key = fields.first else { continue }
                switch key {
                case "nameserver": nameservers += fields.dropFirst()
                case "search": searches += fields.dropFirst()
                case "options": options += fields.dropFirst()
                default: break
                }
            }
        }
        if let config = pod.spec.dnsConfig {
            nameservers += config.nameservers
            searches += config.searches
            options += config.options.map { option in option.value.map { "\(option.name):\($0)" } ?? option.name }
        }
        var lines: [String] = []
        if !searches.isEmpty { lines.append("search " + searches.joined(separator: " ")) }
        lines += nameservers.prefix(3).map { "nameserver " + $0 }
        if !options.isEmpty { lines.append("options " + options.joined(separator: " ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the three files into `directory` and returns their paths.
    static func write(pod: Pod, podIP: String, directory: String) throws -> (hosts: String, resolv: String, hostname: String) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let hostsPath = directory + "/etc-hosts"
        let resolvPath = directory + "/resolv.conf"
        let hostnamePath = directory + "/hostname"
        let hostResolv = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        try hosts(pod: pod, podIP: podIP).write(toFile: hostsPath, atomically: true, encoding: .utf8)
        try resolvConf(pod: pod, hostResolvConf: hostResolv).write(toFile: resolvPath, atomically: true, encoding: .utf8)
        try (hostname(of: pod) + "\n").write(toFile: hostnamePath, atomically: true, encoding: .utf8)
        return (hostsPath, resolvPath, hostnamePath)
    }
}
