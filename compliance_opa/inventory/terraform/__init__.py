"""The Terraform plan adapter: ``terraform show -json`` output into inventory resources."""
