import KubeCore

extension Service {
    /// Upstream `SetObjectDefaults_Service` plus the parts of the Service REST strategy that fill fields in
    /// before validation: `sessionAffinity: None` (ClientIP gets a 10800 s timeout), `type: ClusterIP`,
    /// port `protocol: TCP` and `targetPort` = `port`, `externalTrafficPolicy: Cluster` for externally
    /// reachable Services, `internalTrafficPolicy: Cluster`, `allocateLoadBalancerNodePorts: true` for
    /// LoadBalancers, `clusterIPs` from `clusterIP`, and an IP family policy (SingleStack; RequireDualStack
    /// for headless Services without a selector, as upstream's allocator chooses).
    public mutating func applyDefaults() {
        if spec.sessionAffinity.isEmpty {
            spec.sessionAffinity = "None"
        }
        if spec.sessionAffinity == "None" {
            spec.sessionAffinityConfig = nil
        }
        if spec.sessionAffinity == "ClientIP", spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == nil {
            spec.sessionAffinityConfig = SessionAffinityConfig(clientIP: ClientIPConfig(timeoutSeconds: 10800))
        }
        if spec.type.isEmpty {
            spec.type = "ClusterIP"
        }
        for index in spec.ports.indices {
            if spec.ports[index].protocol.isEmpty {
                spec.ports[index].protocol = "TCP"
            }
            if spec.ports[index].targetPort == .int(0) || spec.ports[index].targetPort == .string("") {
                spec.ports[index].targetPort = .int(spec.ports[index].port)
            }
        }
        if spec.isExternallyAccessible && spec.externalTrafficPolicy.isEmpty {
            spec.externalTrafficPolicy = "Cluster"
        }
        if spec.internalTrafficPolicy == nil && ["NodePort", "LoadBalancer", "ClusterIP"].contains(spec.type) {
            spec.internalTrafficPolicy = "Cluster"
        }
        if spec.type == "LoadBalancer" && spec.allocateLoadBalancerNodePorts == nil {
            spec.allocateLoadBalancerNodePorts = true
        }
        if spec.type == "LoadBalancer" {
            for index in status.loadBalancer.ingress.indices
            where !status.loadBalancer.ingress[index].ip.isEmpty && status.loadBalancer.ingress[index].ipMode == nil {
                status.loadBalancer.ingress[index].ipMode = "VIP"
            }
        }
        if spec.type != "ExternalName" {
            if !spec.clusterIP.isEmpty && spec.clusterIPs.isEmpty {
                spec.clusterIPs = [spec.clusterIP]
            }
            if spec.ipFamilyPolicy == nil {
                spec.ipFamilyPolicy = spec.isHeadless && spec.selector.isEmpty ? "RequireDualStack" : "SingleStack"
            }
        }
    }
}
