# Images deployed to staging. The pipeline rewrites these lines (phases 1 and 3);
# `cdktf synth` copies each stack's values into cdktf.out/stacks/<stack>/staging.auto.tfvars.
agent_service_image     = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/agent_service:v1.0.0-d49bc7f"
journal_service_image   = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/journal_service:v1.0.0-d49bc7f"
habits_service_image    = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/habits_service:v1.0.0-d49bc7f"
meals_service_image     = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/meals_service:v1.0.0-d49bc7f"
movements_service_image = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/movements_service:v1.0.0-d49bc7f"
practices_service_image = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/practices_service:v1.0.0-d49bc7f"
users_service_image     = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/users_service:v1.0.0-d49bc7f"
gateway_image           = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/mesh:v1.0.0-f6015d2"
