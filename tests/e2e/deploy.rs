//! The files of `deploy/` that cannot run here (compose, Kubernetes, systemd) are parsed and checked for what
//! matters: probes on the right paths and port, the Secret and ConfigMap referenced exist, one image everywhere,
//! services waiting for a healthy PostgreSQL, nginx listing every instance, the systemd hardening, and every
//! `DUALPREV_*` variable and settings file accepted by the real binary.

use crate::dualprev;
use serde_norway::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn deploy(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy").join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(deploy(rel)).unwrap_or_else(|e| panic!("deploy/{rel}: {e}"))
}

/// Every YAML document of a file.
fn documents(rel: &str) -> Vec<Value> {
    let text = read(rel);
    serde_norway::Deserializer::from_str(&text)
        .map(|d| serde::Deserialize::deserialize(d).unwrap_or_else(|e| panic!("deploy/{rel}: {e}")))
        .collect()
}

/// The value at a dotted path (`spec.template.spec`), or Null.
fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, key| match key.parse::<usize>() {
        Ok(i) => v.get(i).unwrap_or(&Value::Null),
        Err(_) => v.get(key).unwrap_or(&Value::Null),
    })
}

fn text<'a>(v: &'a Value, path: &str) -> &'a str {
    at(v, path).as_str().unwrap_or_else(|| panic!("{path} is not text in {v:?}"))
}

fn list<'a>(v: &'a Value, path: &str) -> &'a [Value] {
    at(v, path).as_sequence().map_or(&[], Vec::as_slice)
}

/// The value after an option in an argument list.
fn option<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    args.iter().position(|a| *a == name).and_then(|i| args.get(i + 1)).copied()
}

/// A key of a Secret's `stringData` (keys may contain dots).
fn secret_value<'a>(secret: &'a Value, key: &str) -> &'a str {
    at(secret, "stringData").get(key).and_then(Value::as_str).unwrap_or_else(|| panic!("the Secret has no {key}"))
}

/// Runs `dualprev migrate` with a settings file and environment: the binary refuses unknown settings, so success
/// proves every name is one the platform reads.
fn settings_accepted(toml: Option<&str>, env: &[(String, String)]) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["migrate".to_owned(), "--database".into(), "sqlite://s.db".into()];
    if let Some(toml) = toml {
        std::fs::write(dir.path().join("s.toml"), toml).unwrap();
        args.extend(["--config".into(), "s.toml".into()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let out = dualprev(dir.path(), &args, &env);
    assert!(out.status.success(), "settings refused: {env:?}\n{}", String::from_utf8_lossy(&out.stderr));
}

/// The Kubernetes objects of `deploy/k8s`, by kind and name.
fn k8s_objects() -> BTreeMap<(String, String), Value> {
    let kustomization = &documents("k8s/kustomization.yaml")[0];
    let mut files: Vec<String> = std::fs::read_dir(deploy("k8s"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.retain(|f| f.ends_with(".yaml") && f != "kustomization.yaml");
    files.sort();
    let mut listed: Vec<String> = list(kustomization, "resources").iter().map(|r| r.as_str().unwrap().into()).collect();
    listed.sort();
    assert_eq!(listed, files, "the kustomization lists every manifest");
    let mut objects = BTreeMap::new();
    for file in &files {
        for doc in documents(&format!("k8s/{file}")) {
            let key = (text(&doc, "kind").to_owned(), text(&doc, "metadata.name").to_owned());
            assert!(at(&doc, "apiVersion").is_string(), "{file}: {key:?} has an apiVersion");
            if key.0 != "Namespace" {
                assert_eq!(text(&doc, "metadata.namespace"), "dualprev", "{file}: {key:?}");
            }
            assert!(objects.insert(key.clone(), doc).is_none(), "{key:?} is declared twice");
        }
    }
    objects
}

#[test]
fn kubernetes_manifests_have_probes_secrets_and_one_image() {
    let objects = k8s_objects();
    let get = |kind: &str, name: &str| {
        objects.get(&(kind.to_owned(), name.to_owned())).unwrap_or_else(|| panic!("no {kind} {name}"))
    };
    let secret = get("Secret", "dualprev-secrets");
    let config = get("ConfigMap", "dualprev-config");
    let deployments: Vec<&Value> = ["dualprev-api", "dualprev-worker"].iter().map(|n| get("Deployment", n)).collect();
    assert_eq!(at(deployments[0], "spec.replicas").as_u64(), Some(2), "two API replicas");
    assert!(at(deployments[1], "spec.replicas").as_u64() >= Some(2), "workers share the pulls");
    let mut images = Vec::new();
    for (d, role) in deployments.iter().zip(["api", "worker"]) {
        let pod = at(d, "spec.template.spec");
        let labels = at(d, "spec.template.metadata.labels");
        assert_eq!(at(d, "spec.selector.matchLabels"), labels, "the selector matches the pods");
        assert_eq!(at(pod, "securityContext.runAsNonRoot").as_bool(), Some(true));
        let containers = list(pod, "containers");
        assert_eq!(containers.len(), 1);
        let c = &containers[0];
        images.push(text(c, "image").to_owned());
        let args: Vec<&str> = list(c, "args").iter().map(|a| a.as_str().unwrap()).collect();
        assert_eq!(args[0], "serve");
        assert_eq!(option(&args, "--role"), Some(role));
        let bind = option(&args, "--bind").expect("--bind");
        let port = list(c, "ports").iter().find(|p| text(p, "name") == "http").expect("a port named http");
        assert_eq!(bind, format!("0.0.0.0:{}", at(port, "containerPort").as_u64().unwrap()), "listens on its port");
        for (probe, path) in
            [("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz")]
        {
            assert_eq!(text(c, &format!("{probe}.httpGet.path")), path, "{probe}");
            assert_eq!(text(c, &format!("{probe}.httpGet.port")), "http", "{probe}");
        }
        assert_eq!(at(c, "securityContext.readOnlyRootFilesystem").as_bool(), Some(true));
        assert_eq!(at(c, "securityContext.allowPrivilegeEscalation").as_bool(), Some(false));
        assert!(at(c, "resources.requests.memory").is_string() && at(c, "resources.limits.memory").is_string());
        // Every Secret and ConfigMap it names exists, with the keys it reads.
        let mut env = Vec::new();
        for e in list(c, "env") {
            let name = text(e, "name").to_owned();
            let value = match at(e, "valueFrom.secretKeyRef") {
                Value::Null => text(e, "value").to_owned(),
                r => {
                    assert_eq!(text(r, "name"), "dualprev-secrets");
                    secret_value(secret, text(r, "key")).to_owned()
                }
            };
            env.push((name, value));
        }
        for v in list(pod, "volumes") {
            if let Value::String(s) = at(v, "secret.secretName") {
                assert_eq!(s, "dualprev-secrets");
            }
            if let Value::String(s) = at(v, "configMap.name") {
                assert_eq!(s, "dualprev-config");
            }
        }
        let mounts: Vec<&str> = list(c, "volumeMounts").iter().map(|m| text(m, "mountPath")).collect();
        let key_file = &env.iter().find(|(k, _)| k == "DUALPREV_JWT_KEY_FILE").expect("the key file").1;
        let key_dir = Path::new(key_file).parent().unwrap().to_string_lossy().into_owned();
        assert!(mounts.contains(&key_dir.as_str()), "the key file {key_file} is on the Secret's mount");
        let key_name = Path::new(key_file).file_name().unwrap().to_string_lossy().into_owned();
        assert!(secret_value(secret, &key_name).len() >= 32, "the Secret holds the key file");
        // The binary accepts the ConfigMap's settings and the environment (the URL replaced by a local file).
        env.retain(|(k, _)| k != "DUALPREV_DATABASE_URL");
        let toml = at(config, "data").get("dualprev.toml").and_then(Value::as_str).expect("data.dualprev.toml");
        settings_accepted(Some(toml), &env);
    }
    images.dedup();
    assert_eq!(images.len(), 1, "one image: {images:?}");
    // The Service and the disruption budget select the API pods only.
    let api_labels = at(deployments[0], "spec.template.metadata.labels");
    assert_eq!(at(get("Service", "dualprev-api"), "spec.selector"), api_labels);
    assert_eq!(text(get("Service", "dualprev-api"), "spec.ports.0.targetPort"), "http");
    assert_eq!(at(get("PodDisruptionBudget", "dualprev-api"), "spec.selector.matchLabels"), api_labels);
    assert_eq!(images[0], compose_image(), "compose and Kubernetes run the same image");
}

fn compose_image() -> String {
    let compose = &documents("compose/compose.yaml")[0];
    text(compose, "services.dualprev-1.image").to_owned()
}

#[test]
fn compose_waits_for_postgres_and_nginx_lists_every_instance() {
    let compose = &documents("compose/compose.yaml")[0];
    let services = at(compose, "services").as_mapping().unwrap();
    let pg = at(compose, "services.postgres");
    assert!(text(pg, "image").starts_with("postgres:15"));
    assert!(at(pg, "healthcheck.test").is_sequence(), "PostgreSQL has a health check");
    let instances: Vec<&str> =
        services.keys().filter_map(|k| k.as_str()).filter(|k| k.starts_with("dualprev-")).collect();
    assert_eq!(instances.len(), 2, "two platform instances");
    let defined_secrets = at(compose, "secrets").as_mapping().unwrap();
    for name in &instances {
        let s = at(compose, &format!("services.{name}"));
        assert_eq!(text(s, "image"), compose_image());
        assert_eq!(text(s, "depends_on.postgres.condition"), "service_healthy", "{name}");
        let command: Vec<&str> = list(s, "command").iter().map(|a| a.as_str().unwrap()).collect();
        assert_eq!((command[0], command.last().copied()), ("serve", Some("0.0.0.0:8080")), "{name}");
        assert_eq!(option(&command, "--role"), Some("both"), "{name} serves and shares the pulls");
        let test: Vec<&str> = list(s, "healthcheck.test").iter().map(|a| a.as_str().unwrap()).collect();
        assert!(test.iter().any(|a| a.ends_with(":8080/readyz")), "{name} is healthy when ready");
        for secret in list(s, "secrets") {
            assert!(defined_secrets.contains_key(secret.as_str().unwrap()), "{name}: {secret:?} is defined");
        }
        let env: Vec<(String, String)> = at(s, "environment")
            .as_mapping()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.as_str().unwrap().to_owned(), v.as_str().unwrap().to_owned()))
            .collect();
        settings_accepted(Some(&read("dualprev.toml")), &env);
    }
    let proxy = at(compose, "services.proxy");
    for name in &instances {
        assert_eq!(text(proxy, &format!("depends_on.{name}.condition")), "service_healthy");
    }
    // nginx: the upstream lists every instance on the port it binds, and the proxy passes to it.
    let conf = read("compose/nginx.conf");
    let upstream = conf.split("upstream dualprev {").nth(1).and_then(|s| s.split('}').next()).expect("upstream");
    let mut servers: Vec<&str> = upstream
        .lines()
        .filter_map(|l| l.trim().strip_prefix("server "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    servers.sort();
    let mut expected: Vec<String> = instances.iter().map(|n| format!("{n}:8080")).collect();
    expected.sort();
    assert_eq!(servers, expected);
    assert!(conf.contains("proxy_pass http://dualprev;"));
    assert_eq!(conf.matches('{').count(), conf.matches('}').count(), "balanced braces");
}

/// The `[section]` → key → values of a systemd unit (a key may repeat).
fn unit_file(text: &str) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut sections: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with(['#', ';'])) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.to_owned();
            continue;
        }
        let (k, v) = line.split_once('=').unwrap_or_else(|| panic!("not key=value: {line}"));
        assert!(!current.is_empty(), "{line} is outside a section");
        sections.entry(current.clone()).or_default().entry(k.trim().into()).or_default().push(v.trim().into());
    }
    sections
}

#[test]
fn systemd_unit_is_hardened_and_its_environment_is_read() {
    let unit = unit_file(&read("systemd/dualprev.service"));
    let service = &unit["Service"];
    let one = |k: &str| service.get(k).and_then(|v| v.first()).map(String::as_str).unwrap_or_else(|| panic!("{k}"));
    for (key, value) in [
        ("DynamicUser", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateDevices", "yes"),
        ("NoNewPrivileges", "yes"),
        ("CapabilityBoundingSet", ""),
        ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
        ("SystemCallFilter", "@system-service"),
        ("MemoryDenyWriteExecute", "yes"),
        ("LockPersonality", "yes"),
        ("StateDirectory", "dualprev"),
        ("ReadWritePaths", "/var/lib/dualprev"),
        ("EnvironmentFile", "/etc/dualprev/dualprev.env"),
        ("Restart", "on-failure"),
    ] {
        assert_eq!(one(key), value, "{key}");
    }
    assert!(one("ExecStart").starts_with("/usr/local/bin/dualprev serve"));
    assert_eq!(unit["Install"]["WantedBy"], ["multi-user.target"]);
    // The key comes in as a credential, where the env sample says it is.
    let (cred, _) = one("LoadCredential").split_once(':').unwrap();
    let sample = read("systemd/dualprev.env.sample");
    let env: Vec<(String, String)> = sample
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    assert!(env.iter().all(|(k, _)| k.starts_with("DUALPREV_")));
    let key_file = &env.iter().find(|(k, _)| k == "DUALPREV_JWT_KEY_FILE").unwrap().1;
    assert_eq!(key_file, &format!("/run/credentials/dualprev.service/{cred}"));
    let url = &env.iter().find(|(k, _)| k == "DUALPREV_DATABASE_URL").unwrap().1;
    assert!(url.starts_with("sqlite:///var/lib/dualprev/"), "the database is in the state directory");
    settings_accepted(
        Some(&read("dualprev.toml")),
        &env.into_iter().filter(|(k, _)| k != "DUALPREV_DATABASE_URL").collect::<Vec<_>>(),
    );
    // The image runs as a user, not root.
    let dockerfile = read("Dockerfile");
    assert!(dockerfile.lines().any(|l| l.starts_with("USER ") && !l.contains("root") && !l.contains(" 0")));
    assert!(dockerfile.contains("EXPOSE 8080"));
}
