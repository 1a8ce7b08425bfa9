"""Checks that the Kubernetes manifests of one folder fit together, which their schemas cannot say.

Run by scripts/k8s-validate.sh with the deployment-file checkers' venv (PyYAML):
    python scripts/k8s-check-refs.py DIR
Prints one ERROR line per problem and exits 1 if there is any; prints what it checked otherwise.

- kustomization.yaml lists exactly the manifests beside it;
- a workload's selector matches its pod template's labels;
- a Service, PodDisruptionBudget or HorizontalPodAutoscaler reaches a workload of the folder;
- the ConfigMaps, Secrets and Services that pods and StatefulSets name are in the folder;
- a probe's or Service's named port is a port of the container it reaches;
- a CPU-utilisation autoscaler's target requests CPU in every container.
"""

import sys
from pathlib import Path

import yaml

WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet"}

errors: list[str] = []


def error(where: str, message: str) -> None:
    errors.append(f"ERROR {where}: {message}")


def labels_match(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def main(folder: Path) -> int:
    manifests = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    kustomization = next((p for p in manifests if p.stem == "kustomization"), None)
    objects: list[tuple[str, dict]] = []
    for path in manifests:
        if path is kustomization:
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                objects.append((path.name, doc))

    if kustomization is None:
        error(str(folder), "no kustomization.yaml")
    else:
        listed = (yaml.safe_load(kustomization.read_text()) or {}).get("resources") or []
        present = {p.name for p in manifests if p is not kustomization}
        for name in sorted(set(listed) - present):
            error(kustomization.name, f"lists {name}, which is not in {folder}")
        for name in sorted(present - set(listed)):
            error(kustomization.name, f"does not list {name}")

    def named(kind: str) -> dict[str, dict]:
        return {o["metadata"]["name"]: o for _, o in objects if o.get("kind") == kind}

    config_maps, secrets, services = named("ConfigMap"), named("Secret"), named("Service")
    workloads = [(f, o) for f, o in objects if o.get("kind") in WORKLOADS]

    def pod_labels(workload: dict) -> dict:
        return workload["spec"]["template"].get("metadata", {}).get("labels") or {}

    def containers(workload: dict) -> list[dict]:
        return workload["spec"]["template"]["spec"].get("containers") or []

    def port_names(workload: dict) -> set[str]:
        return {p["name"] for c in containers(workload) for p in c.get("ports") or [] if "name" in p}

    def reached(selector: dict) -> list[dict]:
        return [o for _, o in workloads if labels_match(selector, pod_labels(o))]

    for file, workload in workloads:
        where = f"{file} {workload['kind']}/{workload['metadata']['name']}"
        selector = (workload["spec"].get("selector") or {}).get("matchLabels") or {}
        if not labels_match(selector, pod_labels(workload)):
            error(where, f"selector {selector} does not match the pod labels {pod_labels(workload)}")
        if workload["kind"] == "StatefulSet":
            service = workload["spec"].get("serviceName")
            if service and service not in services:
                error(where, f"serviceName {service} is not a Service here")
            elif service and services[service]["spec"].get("clusterIP") != "None":
                error(where, f"serviceName {service} is not headless (clusterIP: None)")
        pod = workload["spec"]["template"]["spec"]
        for container in containers(workload) + (pod.get("initContainers") or []):
            cwhere = f"{where} container {container['name']}"
            names = {p["name"] for p in container.get("ports") or [] if "name" in p}
            for source in container.get("envFrom") or []:
                for key, known in (("configMapRef", config_maps), ("secretRef", secrets)):
                    ref = source.get(key)
                    if ref and not ref.get("optional") and ref["name"] not in known:
                        error(cwhere, f"{key} {ref['name']} is not in the folder")
            for env in container.get("env") or []:
                ref_from = env.get("valueFrom") or {}
                for key, known in (("configMapKeyRef", config_maps), ("secretKeyRef", secrets)):
                    ref = ref_from.get(key)
                    if ref and not ref.get("optional") and ref["name"] not in known:
                        error(cwhere, f"{key} {ref['name']} is not in the folder")
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                port = ((container.get(probe) or {}).get("httpGet") or {}).get("port")
                if isinstance(port, str) and port not in names:
                    error(cwhere, f"{probe} uses port {port}, which the container does not name")
        for volume in pod.get("volumes") or []:
            for key, field, known in (
                ("configMap", "name", config_maps),
                ("secret", "secretName", secrets),
            ):
                ref = volume.get(key)
                if ref and not ref.get("optional") and ref.get(field) not in known:
                    error(where, f"volume {volume['name']}: {key} {ref.get(field)} is not in the folder")

    for file, service in ((f, o) for f, o in objects if o.get("kind") == "Service"):
        where = f"{file} Service/{service['metadata']['name']}"
        targets = reached(service["spec"].get("selector") or {})
        if not targets:
            error(where, "its selector reaches no workload here")
        for port in service["spec"].get("ports") or []:
            target = port.get("targetPort")
            if isinstance(target, str) and not any(target in port_names(t) for t in targets):
                error(where, f"targetPort {target} is no named port of the pods it reaches")

    for file, budget in ((f, o) for f, o in objects if o.get("kind") == "PodDisruptionBudget"):
        selector = (budget["spec"].get("selector") or {}).get("matchLabels") or {}
        if not reached(selector):
            error(f"{file} PodDisruptionBudget/{budget['metadata']['name']}", "reaches no workload here")

    for file, hpa in ((f, o) for f, o in objects if o.get("kind") == "HorizontalPodAutoscaler"):
        where = f"{file} HorizontalPodAutoscaler/{hpa['metadata']['name']}"
        ref = hpa["spec"]["scaleTargetRef"]
        target = next(
            (o for _, o in workloads if o["kind"] == ref["kind"] and o["metadata"]["name"] == ref["name"]),
            None,
        )
        if target is None:
            error(where, f"scaleTargetRef {ref['kind']}/{ref['name']} is not in the folder")
            continue
        on_cpu = any(
            (m.get("resource") or {}).get("name") == "cpu"
            and (m["resource"].get("target") or {}).get("type") == "Utilization"
            for m in hpa["spec"].get("metrics") or []
        )
        for container in containers(target) if on_cpu else []:
            if "cpu" not in ((container.get("resources") or {}).get("requests") or {}):
                error(where, f"scales on CPU utilisation, but container {container['name']} requests no CPU")

    for line in errors:
        print(line)
    if errors:
        return 1
    print(f"OK {folder}: {len(objects)} objects in {len(manifests)} files fit together")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: k8s-check-refs.py DIR")
    sys.exit(main(Path(sys.argv[1])))
