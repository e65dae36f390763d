"""The township back office in the Wagtail admin (办件管理): the queue, an application's page with
its actions, the materials, printable notices, the ledger (两卡一表) and rectifications.

Every view finds applications through ``forms.permissions.handleable_applications`` (another
township's application is a 404) and changes them only through ``forms.actions``. See
docs/back-office.md.
"""
