"""The ground floor: problems, text, time, paths, git, file caches. Imports nothing else of ours."""
