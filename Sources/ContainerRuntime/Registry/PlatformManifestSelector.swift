/// Picks the manifest for a platform from an image index or Docker manifest list, as containerd's default
/// platform matcher does: same OS and architecture; an entry with the wanted variant beats one without a
/// variant (or with the architecture's default variant: `v1` on amd64, `v8` on arm64); among equals the first
/// entry wins. Entries without a platform (attestations, artifacts) never match.
///
/// Stateless; pure.
enum PlatformManifestSelector {
    static func select(from manifests: [OCIDescriptor], for platform: ImagePlatform) -> OCIDescriptor? {
        var best: (rank: Int, descriptor: OCIDescriptor)?
        for descriptor in manifests {
            guard let rank = rank(descriptor.platform, for: platform) else { continue }
            if best == nil || rank > best!.rank { best = (rank, descriptor) }
        }
        return best?.descriptor
    }

    /// How well `candidate` fits (higher is better), or nil when it does not.
    static func rank(_ candidate: OCIPlatform?, for wanted: ImagePlatform) -> Int? {
        guard let candidate, candidate.os == wanted.os, candidate.architecture == wanted.architecture else {
            return nil
        }
        let defaultVariant = defaultVariants[wanted.architecture]
        let candidateVariant = candidate.variant.flatMap { $0.isEmpty ? nil : $0 }
        let wantedVariant = wanted.variant ?? defaultVariant
        switch candidateVariant {
        case nil: return 1
        case wantedVariant: return 2
        case defaultVariant: return 1
        default: return nil
        }
    }

    private static let defaultVariants: [String: String] = ["amd64": "v1", "arm64": "v8"]
}
