# Images deployed to staging. The pipeline rewrites these lines (phases 1 and 3);
# `cdktf synth` copies each stack's values into cdktf.out/stacks/<stack>/staging.auto.tfvars.
agent_service_image     = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/agent_service:v1.0.0-252ad69"
journal_service_image   = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/journal_service:v1.0.0-252ad69"
habits_service_image    = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/habits_service:v1.0.0-252ad69"
meals_service_image     = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/meals_service:v1.0.0-252ad69"
movements_service_image = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/movements_service:v1.0.0-252ad69"
practices_service_image = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/practices_service:v1.0.0-252ad69"
users_service_image     = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/users_service:v1.0.0-252ad69"
gateway_image           = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/mesh:v1.0.0-b6ceeb2"
