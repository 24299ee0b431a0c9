# Images deployed to production. The pipeline rewrites these lines (phases 1 and 3, through pull requests);
# `cdktf synth` copies each stack's values into cdktf.out/stacks/<stack>/production.auto.tfvars.
agent_service_image     = "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/agent_service:v1.0.0-22403cf"
journal_service_image   = "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/journal_service:v1.0.0-22403cf"
habits_service_image    = "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/habits_service:v1.0.0-22403cf"
meals_service_image     = "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/meals_service:v1.0.0-22403cf"
movements_service_image = "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/movements_service:v1.0.0-22403cf"
practices_service_image = "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/practices_service:v1.0.0-22403cf"
users_service_image     = "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/users_service:v1.0.0-22403cf"
gateway_image           = "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/mesh:v1.0.0-427223d"
