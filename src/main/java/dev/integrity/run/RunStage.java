package dev.integrity.run;

/**
 * Where in a run work happens, for failure messages and for {@link RunProbe}: the pipeline's stages
 * (schema, fetch, mirror, check, persist) and the lifecycle's own threads (heartbeat, deadline,
 * ending).
 */
public enum RunStage {
  SCHEMA("reading the base schema"),
  FETCH("fetching"),
  MIRROR("saving the mirror of"),
  CHECK("checking"),
  PERSIST("saving the issues of"),
  HEARTBEAT("keeping the run's heartbeat"),
  DEADLINE("enforcing the run's deadline"),
  ENDING("saving the run's ending");

  private final String doing;

  RunStage(String doing) {
    this.doing = doing;
  }

  /** What the run was doing, as a message says it: "fetching", "saving the issues of". */
  public String doing() {
    return doing;
  }
}
