"""The demo guides' content: one dict per catalog item (shape described in ``schema``).

Every guide is published, with the same content, in every demo township.
"""

from . import disability, employment, household_and_rural, social_assistance, social_insurance

GUIDES = [
    *social_assistance.GUIDES,
    *disability.GUIDES,
    *social_insurance.GUIDES,
    *employment.GUIDES,
    *household_and_rural.GUIDES,
]

# Items shown as popular (热门事项) on the county portal, in this order.
POPULAR_ITEMS = [
    "最低生活保障",
    "城乡居民基本养老保险参保登记",
    "养老保险定期待遇领取资格认证",
    "城乡居民参保登记",
    "居民身份证办理（包括临时）",
    "残疾人证新办",
    "80周岁以上老年人高龄津贴发放",
    "临时救助",
    "申领《四川省老年人优待证》",
    "就业登记",
]
