package dev.integrity.deploy;

import static java.util.stream.Collectors.joining;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Deploy files installed into a temporary root as their comments say, with the built jar replaced
 * by a manifest-only jar that runs the program from the test classpath (the suite runs before
 * {@code package}, so there is no real jar yet).
 */
final class Installed {
  static final String MAIN = "dev.integrity.cli.Main";

  private Installed() {}

  /** Copies a repository file to {@code target}, keeping its mode (a script stays executable). */
  static Path copy(String repoFile, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    return Files.copy(
        Path.of(repoFile),
        target,
        StandardCopyOption.COPY_ATTRIBUTES,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes a jar whose manifest runs {@link #MAIN} with the test classpath. */
  static Path classpathJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, MAIN);
    main.put(
        Attributes.Name.CLASS_PATH,
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(p -> Path.of(p).toAbsolutePath().toUri().toString())
            .collect(joining(" ")));
    Files.createDirectories(jar.getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      // the manifest is the whole jar
    }
    return jar;
  }

  /** The JDK running the tests: a 21+ with javac, as the launcher and the image want. */
  static String javaHome() {
    return System.getProperty("java.home");
  }
}
