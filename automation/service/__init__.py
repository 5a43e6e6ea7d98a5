"""Running as a service: log line formats and the systemd notify protocol."""
