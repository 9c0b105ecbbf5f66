import django, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()
from django.db import connection, transaction
from django.contrib.auth.models import AnonymousUser
from bench.search import populate
from discovery.selectors.search import entry_search, SearchParams
with transaction.atomic():
    staff, _, _ = populate()
    with connection.cursor() as c: c.execute("ANALYZE")
    for user in (AnonymousUser(), staff):
        qs = entry_search(user=user, params=SearchParams(q="interconnection queue"))
        t=time.perf_counter(); list(qs[:20]); t1=time.perf_counter(); qs.count(); t2=time.perf_counter()
        print("page", round((t1-t)*1000), "count", round((t2-t1)*1000))
        print(qs[:20].explain(analyze=True))
        print(qs.order_by().explain(analyze=True) if False else "")
    transaction.set_rollback(True)
