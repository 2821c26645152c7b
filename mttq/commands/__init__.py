"""What the commands do: check, build, preview, the CI workflow's steps."""
