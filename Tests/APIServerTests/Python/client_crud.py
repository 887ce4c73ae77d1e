"""CRUD and watch on ConfigMaps and Deployments with the official Python `kubernetes` client.

Usage: client_crud.py KUBECONFIG. Prints one "ok <step>" line per checked step; exits non-zero on the first
failure (an assertion or an ApiException from the server).
"""
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def step(name):
    print("ok", name, flush=True)


def expect_status(code, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ApiException as error:
        assert error.status == code, f"expected HTTP {code}, got {error.status}: {error.body}"
        return error
    raise AssertionError(f"expected HTTP {code}, the call succeeded")


def configmaps(core):
    ns = "default"
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py", labels={"app": "py"}), data={"a": "1"})
    created = core.create_namespaced_config_map(ns, body)
    assert created.metadata.uid and created.metadata.resource_version, created.metadata
    step("configmap create")
    start = core.list_namespaced_config_map(ns, label_selector="app=py").metadata.resource_version

    read = core.read_namespaced_config_map("py", ns)
    assert read.data == {"a": "1"}, read.data
    step("configmap read")

    patched = core.patch_namespaced_config_map("py", ns, {"data": {"b": "2"}})
    assert patched.data == {"a": "1", "b": "2"}, patched.data
    step("configmap patch")

    patched.data["a"] = "changed"
    replaced = core.replace_namespaced_config_map("py", ns, patched)
    assert replaced.data["a"] == "changed"
    stale = patched
    stale.data["a"] = "stale"
    expect_status(409, core.replace_namespaced_config_map, "py", ns, stale)
    step("configmap replace and conflict")

    listed = core.list_namespaced_config_map(ns, label_selector="app in (py)")
    assert [item.metadata.name for item in listed.items] == ["py"], listed.items
    step("configmap list")

    core.delete_namespaced_config_map("py", ns)
    expect_status(404, core.read_namespaced_config_map, "py", ns)
    step("configmap delete")

    seen = []
    w = watch.Watch()
    for event in w.stream(core.list_namespaced_config_map, ns, label_selector="app=py",
                          resource_version=start, timeout_seconds=20):
        seen.append((event["type"], event["object"].metadata.name))
        if event["type"] == "DELETED":
            w.stop()
    assert [kind for kind, _ in seen] == ["MODIFIED", "MODIFIED", "DELETED"], seen
    step("configmap watch")


def deployments(apps):
    ns = "default"
    labels = {"app": "pyweb"}
    body = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="pyweb", labels=labels),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels=labels),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=labels),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="nginx:1.27")]))))
    created = apps.create_namespaced_deployment(ns, body)
    assert created.spec.strategy.type == "RollingUpdate", created.spec.strategy
    assert created.spec.revision_history_limit == 10
    assert created.spec.template.spec.containers[0].image_pull_policy == "IfNotPresent"
    step("deployment create with defaults")

    initial = []
    w = watch.Watch()
    for event in w.stream(apps.list_namespaced_deployment, ns, timeout_seconds=20):
        initial.append((event["type"], event["object"].metadata.name))
        w.stop()
    assert initial == [("ADDED", "pyweb")], initial
    step("deployment watch initial state")

    scale = apps.patch_namespaced_deployment_scale("pyweb", ns, {"spec": {"replicas": 3}})
    assert scale.spec.replicas == 3
    assert apps.read_namespaced_deployment_scale("pyweb", ns).status.selector == "app=pyweb"
    assert apps.read_namespaced_deployment("pyweb", ns).spec.replicas == 3
    step("deployment scale")

    # The Deployment controller writes status meanwhile: retry on conflict, as client-go's RetryOnConflict.
    for attempt in range(10):
        current = apps.read_namespaced_deployment("pyweb", ns)
        current.spec.template.spec.containers[0].image = "nginx:1.28"
        try:
            updated = apps.replace_namespaced_deployment("pyweb", ns, current)
            break
        except ApiException as error:
            if error.status != 409 or attempt == 9:
                raise
    assert updated.metadata.generation == 3, updated.metadata.generation
    step("deployment replace bumps generation")

    bad = client.V1Deployment(metadata=client.V1ObjectMeta(name="Bad_Name"), spec=body.spec)
    error = expect_status(422, apps.create_namespaced_deployment, ns, bad)
    assert "Invalid value" in error.body and "Bad_Name" in error.body, error.body
    step("deployment invalid name")

    apps.delete_namespaced_deployment("pyweb", ns, propagation_policy="Background")
    assert apps.list_namespaced_deployment(ns).items == []
    step("deployment delete")


def main():
    config.load_kube_config(config_file=sys.argv[1])
    configmaps(client.CoreV1Api())
    deployments(client.AppsV1Api())
    print("done", flush=True)


if __name__ == "__main__":
    main()
