package org.haochaping.gateway.province;

import org.junit.jupiter.api.Tag;

/**
 * The same end-to-end forwarding under profile guangxi: the connector seals with the 国密
 * digital envelope (sm2-sm4), and Guangxi's tables count satisfaction the other way round
 * (1 = 非常满意 … 5 = 非常不满意) and give the hall evaluator pf 5.
 */
@Tag("db")
class ForwardToProvinceGuangxiTest extends ForwardToProvinceTest {

  @Override
  protected String profile() {
    return "guangxi";
  }

  @Override
  protected Expected expected() {
    return new Expected("sm2-sm4", "450", "2", "5", "5", "B01");
  }
}
