"""The vocabularies record-level inputs are validated against: districts, categories, household types, causes."""

from __future__ import annotations

DISTRICTS = (
    "东城区",
    "西城区",
    "朝阳区",
    "丰台区",
    "石景山区",
    "海淀区",
    "门头沟区",
    "房山区",
    "通州区",
    "顺义区",
    "昌平区",
    "大兴区",
    "怀柔区",
    "平谷区",
    "密云区",
    "延庆区",
)
CALL_CATEGORIES = ("疫情防控", "住房物业", "城市管理", "交通出行", "市场监管", "劳动社保", "医疗卫生", "教育", "其他")
HOUSEHOLD_TYPES = ("低保户", "低收入户", "意外致困户")
MAIN_CAUSES = ("家庭收入低", "大病", "残疾", "子女上学", "下岗失业")
