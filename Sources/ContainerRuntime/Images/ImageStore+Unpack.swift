import Logging
import Synchronization

/// Unpacking an image's layers for overlayfs.
extension ImageStore {
    /// The unpacked directory of each layer of `image`, bottom to top, extracting layers that are not
    /// unpacked yet (each layer once: concurrent callers wait for the same extraction). Pass them to
    /// `RootfsMount.mountOverlay(lowerLayers:upper:work:target:)` in this order.
    public func unpackedLayerPaths(for image: StoredImage) async throws(ImageError) -> [String] {
        var paths: [String] = []
        paths.reserveCapacity(image.layers.count)
        for layer in image.layers {
            paths.append(try await unpackedLayerPath(for: layer))
        }
        return paths
    }

    /// The unpacked directory of one layer, `<root>/layers/<diff_id hex>`, extracting it if needed.
    public func unpackedLayerPath(for layer: StoredLayer) async throws(ImageError) -> String {
        let destination = layersDirectory + "/" + layer.diffID.hex
        let task: Task<String, any Error>? = state.withLock { state in
            if let running = state.unpacking[layer.diffID] { return running }
            if StoreFiles.isDirectory(destination) { return nil }
            // An unstructured task, so that the extraction finishes for the other waiters even if the caller
            // that started it is cancelled. It removes itself from `unpacking` when done.
            let task = Task<String, any Error> { try await self.extract(layer, to: destination) }
            state.unpacking[layer.diffID] = task
            return task
        }
        guard let task else { return destination }
        do {
            return try await task.value
        } catch let error as ImageError {
            throw error
        } catch {
            throw .layerExtractionFailed(diffID: layer.diffID, reason: "\(error)")
        }
    }

    private func extract(_ layer: StoredLayer, to destination: String) async throws(ImageError) -> String {
        let scratch = makeTemporaryPath(prefix: "unpack-" + layer.diffID.shortHex)
        let started = ContinuousClock.now
        let result: Result<String, ImageError>
        do {
            try await LayerUnpacker(layer: layer, blobPath: blobPath(layer.digest))
                .unpack(into: destination, scratch: scratch)
            result = .success(destination)
        } catch {
            result = .failure(error)
        }
        try? await StoreFiles.removeTree(scratch)
        _ = state.withLock { $0.unpacking.removeValue(forKey: layer.diffID) }
        switch result {
        case .success:
            logger.debug(
                "Unpacked layer",
                metadata: ["diffID": "\(layer.diffID)", "elapsed": "\(ContinuousClock.now - started)"])
        case .failure(let error):
            logger.warning("Layer unpack failed", metadata: ["diffID": "\(layer.diffID)", "error": "\(error)"])
        }
        return try result.get()
    }
}
