"""Online applications (issue: online applications). Nothing yet."""
