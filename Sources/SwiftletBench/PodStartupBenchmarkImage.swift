import ContainerRuntime
import Foundation
import HostSystem

/// Builds the benchmark's one-layer busybox OCI archive (the same layout as scripts/make-busybox-image.sh,
/// carried inside the binary so the benchmark runs anywhere) and imports it into an image store.
///
/// Stateless namespace.
enum PodStartupImage {
    static let busyboxPath = "/bin/busybox"

    /// Imports `name` into the store at `imageDirectory` and returns it.
    static func importBusybox(into imageDirectory: String, name: String) async throws -> StoredImage {
        let archive = NSTemporaryDirectory() + "swiftlet-bench-busybox-\(UUID().uuidString.prefix(8)).tar"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let output = try await HostCommand.run("/bin/bash", ["-c", script, "make-busybox-image", archive, name, busyboxPath])
        guard output.status.succeeded else {
            throw PodStartupBenchmarkError.unavailable("building the busybox image failed: \(output.standardErrorText)")
        }
        let store = try ImageStore(root: imageDirectory)
        let images = try await store.importArchive(at: archive)
        guard let image = images.first(where: { $0.names.contains(name) }) ?? store.image(named: name) else {
            throw PodStartupBenchmarkError.unavailable("the imported busybox archive carried no image named \(name)")
        }
        return image
    }

    /// `bash -c script _ OUT NAME:TAG BUSYBOX`: writes an OCI image archive with one layer (busybox, its
    /// applet links, /etc/passwd, /etc/group).
    private static let script = #"""
    set -euo pipefail
    OUT=$1; REF=$2; BUSYBOX=$3
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
    mkdir -p "$WORK/rootfs"/{bin,etc,tmp,proc,sys,dev,root,data} "$WORK/layout/blobs/sha256"
    cp "$BUSYBOX" "$WORK/rootfs/bin/busybox"
    for applet in $("$BUSYBOX" --list); do
      [ "$applet" = busybox ] || ln -sf busybox "$WORK/rootfs/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$WORK/rootfs/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\n' > "$WORK/rootfs/etc/group"
    chmod 1777 "$WORK/rootfs/tmp"
    tar --sort=name --mtime='2024-01-01 00:00Z' --owner=0 --group=0 --numeric-owner -C "$WORK/rootfs" -cf "$WORK/layer.tar" .
    DIFF=$(sha256sum "$WORK/layer.tar" | cut -d' ' -f1)
    gzip -n -c "$WORK/layer.tar" > "$WORK/layer.tar.gz"
    blob() { local d; d=$(sha256sum "$1" | cut -d' ' -f1); cp "$1" "$WORK/layout/blobs/sha256/$d"; echo "$d $(stat -c%s "$1")"; }
    read -r LD LS < <(blob "$WORK/layer.tar.gz")
    cat > "$WORK/config.json" <<JSON
    {"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:$DIFF"]}}
    JSON
    read -r CD CS < <(blob "$WORK/config.json")
    cat > "$WORK/manifest.json" <<JSON
    {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$CD","size":$CS},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$LD","size":$LS}]}
    JSON
    read -r MD MS < <(blob "$WORK/manifest.json")
    echo '{"imageLayoutVersion":"1.0.0"}' > "$WORK/layout/oci-layout"
    cat > "$WORK/layout/index.json" <<JSON
    {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$MD","size":$MS,"annotations":{"org.opencontainers.image.ref.name":"${REF##*:}","io.containerd.image.name":"$REF"}}]}
    JSON
    tar --sort=name --owner=0 --group=0 --numeric-owner -C "$WORK/layout" -cf "$OUT" .
    """#
}
