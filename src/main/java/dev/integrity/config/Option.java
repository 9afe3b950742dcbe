package dev.integrity.config;

/** One option of a check (or a scalar setting): its value and the key path it was written at. */
record Option(YamlNode value, String path) {}
