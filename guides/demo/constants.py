"""Fixed values of the demo: the county, the demo date and the words that mark demo text."""

import datetime

COUNTY_CODE = "511602"
COUNTY_NAME = "广安区"
CITY_NAME = "广安市"
AREA_CODE = "0826"  # telephone area code of Guang'an

# Notices and schedules are dated relative to this fixed date, never to "today", so that
# every load gives the same data. Postings are open around it (see docs/demo.md).
DEMO_DATE = datetime.date(2026, 11, 20)

DEMO_MARK = "（演示）"
DEMO_ADDRESS_MARK = "（演示地址）"

PORTAL_TITLE = "广安区便民服务网"
PORTAL_SLUG = "guangan"

CENTER_HOURS = "周一至周五 上午9:00–12:00 下午13:30–17:30（法定节假日除外）"
STATION_HOURS = "周一至周五 上午9:00–12:00 下午14:00–17:00（农忙时节可电话预约）"

ONLINE_URL = "https://www.sczwfw.gov.cn/"
