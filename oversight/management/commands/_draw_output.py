"""What draw_sample and execute_draw print, in one place."""


def print_draw(out, draw) -> None:
    out.write(f"id={draw.pk}")
    out.write(f"N={draw.population_size}")
    out.write(f"k={draw.sample_size}")
    out.write(f"population_sha256={draw.population_hash}")
    if draw.ratio_warning:
        out.write(f"warning={draw.ratio_warning}")
    if draw.is_executed:
        out.write(f"seed={draw.seed}")
