"""Loads the initiative from the report's content in `workstreams/content/*.yaml`.

Idempotent: rows are found by their natural keys (a track's number, a workstream's code, a question's
number …). Fields that come from the report are brought in line with the files; fields the
implementation team owns once the initiative runs (dates, owners, step progress) are set only when a row
is first created, so re-running the loader never undoes their work.
"""

import calendar
import datetime
from collections import Counter
from pathlib import Path

import yaml
from django.db import models, transaction

from initiative.models import Body, Gap, Goal, Initiative

from .models import (
    Deliverable,
    EffortOrigin,
    GlossaryTerm,
    IllustrativeQuestion,
    IssueArea,
    LifecycleStep,
    RelatedEffort,
    Topic,
    Track,
    Workstream,
    WorkstreamStakeholder,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
DEFAULT_START = datetime.date(2026, 1, 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Loader:
    def __init__(self, content_dir: Path = CONTENT_DIR):
        self.dir = content_dir
        self.counts: Counter[str] = Counter()

    def read(self, name: str):
        with open(self.dir / name, encoding="utf-8") as fh:
            return yaml.safe_load(fh)

    def upsert(self, model: type[models.Model], lookup: dict, synced: dict, on_create: dict | None = None):
        """Create the row, or update the `synced` fields that differ; count what happened."""
        obj = model.objects.filter(**lookup).first()
        label = model._meta.model_name
        if obj is None:
            obj = model.objects.create(**lookup, **synced, **(on_create or {}))
            self.counts[f"{label} created"] += 1
            return obj
        changed = [name for name, value in synced.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, synced[name])
            obj.save(update_fields=changed)
            self.counts[f"{label} updated"] += 1
        else:
            self.counts[f"{label} unchanged"] += 1
        return obj

    @transaction.atomic
    def run(self) -> Counter[str]:
        initiative = self.load_initiative()
        self.load_bodies()
        tracks = self.load_tracks()
        self.load_workstreams(initiative, tracks)
        self.load_issue_areas()
        self.load_glossary()
        self.load_track1()
        self.load_related_efforts()
        return self.counts

    def load_initiative(self) -> Initiative:
        data = self.read("initiative.yaml")
        source = data.get("source") or {}
        initiative = self.upsert(
            Initiative,
            {"slug": "der-initiative"},
            {
                "name": data["name"],
                "short_name": data.get("short_name") or data["name"],
                "tagline": (data.get("tagline") or "").strip(),
                "summary": (data.get("summary") or "").strip(),
                "governance": (data.get("governance") or "").strip(),
                "engagement": (data.get("engagement") or "").strip(),
                "duration": data.get("duration") or "",
                "source_title": source.get("title", ""),
                "source_publisher": source.get("publisher", ""),
                "source_year": int(source.get("year") or 2022),
                "citation": (source.get("citation") or "").strip(),
            },
            {"start_date": data.get("start_date") or DEFAULT_START},
        )
        for goal in data.get("goals", []):
            self.upsert(
                Goal,
                {"initiative": initiative, "number": goal["number"]},
                {"title": goal["title"].strip(), "description": (goal.get("description") or "").strip()},
            )
        for gap in data.get("gaps", []):
            self.upsert(
                Gap,
                {"initiative": initiative, "number": gap["number"]},
                {"title": gap["title"].strip(), "description": (gap.get("description") or "").strip()},
            )
        self.timeline = {
            (row.get("workstream") or f"T{row['track']}"): row for row in data.get("timeline", [])
        }
        return initiative

    def load_bodies(self) -> None:
        for kind, label in Body.Kind.choices:
            self.upsert(Body, {"kind": kind}, {"name": str(label)})

    def load_tracks(self) -> dict[int, Track]:
        tracks = {}
        for row in self.read("tracks.yaml"):
            tracks[row["number"]] = self.upsert(
                Track,
                {"number": row["number"]},
                {
                    "slug": row["slug"],
                    "name": row["name"].strip(),
                    "title": row["title"].strip(),
                    "objective": (row.get("objective") or "").strip(),
                    "description": (row.get("description") or "").strip(),
                },
            )
        return tracks

    def load_workstreams(self, initiative: Initiative, tracks: dict[int, Track]) -> None:
        generic_steps = {row["number"]: row for row in self.read("lifecycle.yaml")}
        for row in self.read("workstreams.yaml"):
            span = self.timeline.get(row["code"]) or self.timeline.get(f"T{row['track']}") or {}
            ws = self.upsert(
                Workstream,
                {"code": row["code"]},
                {
                    "track": tracks[row["track"]],
                    "slug": row["slug"],
                    "name": row["name"].strip(),
                    "challenge": (row.get("challenge") or "").strip(),
                    "objective": (row.get("objective") or "").strip(),
                    "approach": (row.get("approach") or "").strip(),
                    "emerging_issues": (row.get("emerging_issues") or "").strip(),
                    "planned_outputs": [str(o).strip() for o in row.get("planned_outputs") or []],
                    "sub_workstreams": row.get("sub_workstreams") or [],
                    "start_month": int(span.get("start_month") or 0),
                    "end_month": int(span.get("end_month") or 48),
                    "cross_cutting": bool(row.get("cross_cutting")),
                },
            )
            own_steps = {step["number"]: step for step in row.get("lifecycle_steps") or []}
            for number in range(1, 6):
                step = {**generic_steps[number], **own_steps.get(number, {})}
                self.upsert(
                    LifecycleStep,
                    {"workstream": ws, "number": number},
                    {"name": step["name"].strip(), "description": (step.get("description") or "").strip()},
                )
            for stake in row.get("stakeholders") or []:
                self.upsert(
                    WorkstreamStakeholder,
                    {"workstream": ws, "type": stake["type"]},
                    {"note": (stake.get("note") or "").strip()},
                )
            for number, text in enumerate(row.get("illustrative_questions") or [], start=1):
                self.upsert(
                    IllustrativeQuestion, {"workstream": ws, "number": number}, {"text": text.strip()}
                )
            for topic in row.get("candidate_topics") or []:
                self.upsert(
                    Topic,
                    {"workstream": ws, "title": topic["title"].strip()[:300]},
                    {"description": (topic.get("description") or "").strip(), "source": Topic.Source.REPORT},
                )
            for order, item in enumerate(row.get("deliverables") or []):
                due_month = item.get("due_month")
                self.upsert(
                    Deliverable,
                    {"workstream": ws, "slug": item["slug"]},
                    {
                        "title": item["title"].strip(),
                        "kind": item.get("kind") or "report",
                        "description": (item.get("description") or "").strip(),
                        "is_key": bool(item.get("key")),
                        "due_month": due_month,
                        "order": order,
                    },
                    {
                        "due_date": add_months(initiative.start_date, due_month)
                        if due_month is not None
                        else None
                    },
                )

    def load_issue_areas(self) -> None:
        """Table 5's issue areas for the Track 3 dialogue, linked to the overlapping Track 2 workstream."""
        workstreams = {ws.code: ws for ws in Workstream.objects.all()}
        for order, row in enumerate(self.read("track3_issue_areas.yaml")):
            self.upsert(
                IssueArea,
                {"slug": row["slug"]},
                {
                    "name": row["name"].strip(),
                    "description": (row.get("description") or "").strip(),
                    "issues": [
                        {"name": i["name"].strip(), "description": (i.get("description") or "").strip()}
                        for i in row.get("issues") or []
                    ],
                    "track2_workstream": workstreams.get(row.get("track2_workstream") or ""),
                    "order": order,
                },
            )
        self.load_issue_area_documents(workstreams.get("T3"))

    def load_issue_area_documents(self, dialogue: Workstream | None) -> None:
        """Each area's four sections, the key challenges seeded from Table 5 as version 1, and each area
        as a candidate topic of the Track 3 dialogue (to be ranked). Sections and topics that exist are
        left as the dialogue made them."""
        from .services.dialogue import area_sections_seed

        for area in IssueArea.objects.all():
            self.counts["issue-area sections created"] += area_sections_seed(area=area)
            if dialogue is None:
                continue
            topic = (
                Topic.objects.filter(workstream=dialogue, issue_area=area).first()
                or Topic.objects.filter(workstream=dialogue, title__iexact=area.name).first()
            )
            if topic is None:
                Topic.objects.create(
                    workstream=dialogue,
                    title=area.name,
                    description=area.description,
                    source=Topic.Source.REPORT,
                    issue_area=area,
                )
                self.counts["track 3 candidate topics created"] += 1
            elif topic.issue_area_id is None:
                topic.issue_area = area
                topic.save(update_fields=["issue_area"])
                self.counts["track 3 candidate topics linked"] += 1

    def load_glossary(self) -> None:
        """The report's terms, agreed, each with its definition as wording 1. A term already in the
        glossary is left as its lifecycle made it (a new wording is agreed through the services, not by
        editing the file)."""
        from django.db import transaction
        from django.utils import timezone
        from django.utils.text import slugify

        from .models import GlossaryDefinition, TermStatus
        from .selectors.glossary import glossary_changed

        created = False
        for row in self.read("glossary.yaml"):
            name = row["term"].strip()
            if GlossaryTerm.objects.filter(term=name).exists():
                self.counts["glossaryterm unchanged"] += 1
                continue
            base = slugify(name)[:130] or "term"
            slug, n = base, 2
            while GlossaryTerm.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            term = GlossaryTerm.objects.create(
                term=name,
                slug=slug,
                definition=row["definition"].strip(),
                kind=row.get("kind") or "term",
                status=TermStatus.AGREED,
                agreed_at=timezone.now(),
            )
            term.agreed_definition = GlossaryDefinition.objects.create(
                term=term, number=1, text=term.definition
            )
            term.save(update_fields=["agreed_definition"])
            self.counts["glossaryterm created"] += 1
            created = True
        if created:
            transaction.on_commit(glossary_changed)

    def load_related_efforts(self) -> None:
        """Outside efforts from `related_efforts.yaml`, with their workstream and topic links. A row staff
        have edited (`origin=staff`) is left as staff left it."""
        workstreams = {ws.code: ws for ws in Workstream.objects.all()}
        topics = {f"{t.workstream.code}: {t.title}": t for t in Topic.objects.select_related("workstream")}
        for row in self.read("related_efforts.yaml"):
            existing = RelatedEffort.objects.filter(slug=row["slug"]).first()
            if existing is not None and existing.origin == EffortOrigin.STAFF:
                self.counts["relatedeffort kept (staff)"] += 1
                continue
            effort = self.upsert(
                RelatedEffort,
                {"slug": row["slug"]},
                {
                    "name": row["name"].strip(),
                    "led_by": (row.get("led_by") or "").strip(),
                    "kind": row.get("kind") or "other",
                    "description": (row.get("description") or "").strip(),
                    "relevance": (row.get("relevance") or "").strip(),
                    "url": row.get("url") or "",
                    "origin": EffortOrigin.REPORT,
                },
            )
            wanted_ws = {workstreams[c].pk for c in row.get("workstreams") or [] if c in workstreams}
            wanted_topics = {topics[t].pk for t in row.get("topics") or [] if t in topics}
            if set(effort.workstreams.values_list("pk", flat=True)) != wanted_ws:
                effort.workstreams.set(wanted_ws)
                self.counts["relatedeffort links updated"] += 1
            if set(effort.topics.values_list("pk", flat=True)) != wanted_topics:
                effort.topics.set(wanted_topics)
                self.counts["relatedeffort links updated"] += 1

    def load_data_exchanges(self, rows, functions, actors, models_by_slug) -> None:
        """The report's examples of data exchanged between actors, created once by slug: what Workstream A
        changes afterwards is theirs, so an existing row is never updated."""
        from .models import DataExchange, Topic

        for row in rows:
            if DataExchange.objects.filter(slug=row["slug"]).exists():
                self.counts["dataexchange kept"] += 1
                continue
            exchange = DataExchange.objects.create(
                slug=row["slug"],
                data_item=row["data_item"],
                sender=actors[row["sender"]],
                receiver=actors[row["receiver"]],
                direction=row.get("direction") or "one_way",
                timing=row.get("timing") or "on_event",
                latency=row.get("latency") or "",
                purpose=" ".join((row.get("purpose") or "").split()),
                source=row.get("source") or "",
            )
            exchange.functions.set([functions[f] for f in row.get("functions") or []])
            exchange.applies_to.set([models_by_slug[m] for m in row.get("models") or []])
            exchange.topics.set(
                [
                    topic
                    for ref in row.get("topics") or []
                    for topic in Topic.objects.filter(workstream__code=ref["workstream"], title=ref["title"])
                ]
            )
            self.counts["dataexchange created"] += 1

    def load_track1(self) -> None:
        """The Track 1 framework from `track1.yaml`. Matrix cells loaded from the report are synced; a cell
        staff have edited (`origin=staff`) is left as they made it, and never recreated once removed."""
        from .models import (
            Actor,
            CellOrigin,
            FramingGroup,
            FramingOption,
            FramingQuestion,
            FunctionCategory,
            GridFunction,
            MatrixCell,
            MatrixRole,
            ModelDimension,
            ModelStatus,
            OperatingModel,
            RoadmapFunction,
            RoadmapStep,
        )

        data = self.read("track1.yaml")
        categories = {
            row["slug"]: self.upsert(
                FunctionCategory, {"slug": row["slug"]}, {"name": row["name"], "order": i}
            )
            for i, row in enumerate(data["function_categories"])
        }
        functions = {
            row["slug"]: self.upsert(
                GridFunction,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "category": categories[row["category"]],
                    "description": (row.get("description") or "").strip(),
                    "order": i,
                },
            )
            for i, row in enumerate(data["functions"])
        }
        actors = {
            row["slug"]: self.upsert(
                Actor,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "alternate_names": row.get("alternate_names") or [],
                    "description": (row.get("description") or "").strip(),
                    "order": i,
                },
            )
            for i, row in enumerate(data["actors"])
        }
        dimension_slugs = {}
        for i, row in enumerate(data["model_dimensions"]):
            self.upsert(ModelDimension, {"slug": row["slug"]}, {"name": row["name"], "order": i})
            dimension_slugs[row["name"]] = row["slug"]
        models_by_slug = {
            row["slug"]: self.upsert(
                OperatingModel,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "position": row["position"],
                    "end_point": bool(row.get("end_point")),
                    "description": " ".join((row.get("description") or "").split()),
                    "dimensions": {
                        dimension_slugs[k]: v.strip() for k, v in (row.get("dimensions") or {}).items()
                    },
                },
                # The report's illustrative set starts adopted; what Workstream A does with it later
                # (retire, merge, a ranking round) is not undone by the next load.
                on_create={"status": ModelStatus.ADOPTED},
            )
            for row in data["models"]
        }
        existing = {(c.model_id, c.function_id, c.actor_id): c for c in MatrixCell.objects.all()}
        for entry in data.get("matrix") or []:
            model, function = models_by_slug[entry["model"]], functions[entry["function"]]
            roles = entry.get("roles") or {}
            for actor_slug in entry["actors"]:
                actor = actors[actor_slug]
                cell = existing.get((model.pk, function.pk, actor.pk))
                if cell is not None and cell.origin != CellOrigin.REPORT:
                    self.counts["matrixcell kept (staff edited)"] += 1
                    continue
                self.upsert(
                    MatrixCell,
                    {"model": model, "function": function, "actor": actor},
                    {
                        "role": roles.get(actor_slug) or MatrixRole.RESPONSIBLE,
                        "note": (entry.get("role") or "").strip(),
                        "source": entry.get("source") or "",
                        "origin": CellOrigin.REPORT,
                    },
                )
        self.load_data_exchanges(data.get("data_exchanges") or [], functions, actors, models_by_slug)
        groups = {}
        for i, row in enumerate(data["framing_groups"]):
            groups[row["slug"]] = self.upsert(
                FramingGroup,
                {"slug": row["slug"]},
                {"name": row["name"], "order": i, "applies_if": row.get("applies_if") or {}},
            )
        for i, row in enumerate(data["framing_questions"]):
            question = self.upsert(
                FramingQuestion,
                {"slug": row["slug"]},
                {"group": groups[row["group"]], "text": row["question"].strip(), "order": i},
            )
            for j, opt in enumerate(row.get("options") or []):
                option = self.upsert(
                    FramingOption,
                    {"question": question, "slug": str(opt["slug"])},
                    {"label": opt["label"], "order": j, "basis": (opt.get("basis") or "").strip()},
                )
                favored = {models_by_slug[slug].pk for slug in opt.get("favors") or []}
                if set(option.favors.values_list("pk", flat=True)) != favored:
                    option.favors.set(favored)
        for i, row in enumerate(data.get("roadmap") or []):
            stage_by_model = row.get("stage_by_model") or {}
            unknown = set(stage_by_model) - set(models_by_slug)
            if unknown:
                raise ValueError(f"roadmap {row['slug']}: unknown models {sorted(unknown)}")
            roadmap_row = self.upsert(
                RoadmapFunction,
                {"slug": row["slug"]},
                {
                    "dso_function": row["dso_function"],
                    "order": i,
                    "stage_by_model": stage_by_model,
                    "stage_basis": (row.get("stage_basis") or "").strip(),
                },
            )
            related = {functions[slug].pk for slug in row.get("related_functions") or []}
            if set(roadmap_row.related_functions.values_list("pk", flat=True)) != related:
                roadmap_row.related_functions.set(related)
            for stage in ("current", "intermediate", "target"):
                self.upsert(RoadmapStep, {"row": roadmap_row, "stage": stage}, {"text": row[stage].strip()})


def load_initiative(content_dir: Path = CONTENT_DIR) -> Counter[str]:
    return Loader(content_dir).run()
