package org.haochaping.gateway.model;

/** 即办件 (done on the spot) or 承诺件 (done within promised days), 002 第九条. */
public enum ProjectType {
  IMMEDIATE("即办件"),
  PROMISED("承诺件");

  private final String label;

  ProjectType(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
