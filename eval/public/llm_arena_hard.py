"""Arena-Hard-Auto v0.1 (lmarena/arena-hard-auto on GitHub): real Chatbot Arena user prompts.

data/arena-hard-v0.1/question.jsonl holds 500 prompts, two from each of 250 topic clusters the
benchmark's authors made (BERTopic) and named automatically ("Python Web Scraping", "Healthy
Meal Planning", ...). The cluster names are coarse: a cluster's two prompts often differ in
kind, so only clusters whose name itself names programming (a language, framework, tool or
programming activity) or writing, role play or advice are labelled; all others are ambiguous.
"""

from registry import Prompts, chat_row, github, json_lines, sample

REPO = "lmarena/arena-hard-auto"
COMMIT = "196f6b826783b3da7310e361a805fa36f0be83f3"
PATH = "data/arena-hard-v0.1/question.jsonl"
# Cluster name -> label; every cluster not listed here -> "?".
CODE_CLUSTERS = {
    "Advanced Matplotlib Customizations",
    "Advanced Regex Techniques",
    "Advanced TypeScript Concepts",
    "Algorithms and Problem Solving",
    "Android Development Challenges",
    "Basic Assembly Operations",
    "Browser Extensions Development",
    "C++ Code Conversion Challenge",
    "CSS Flexbox & Bootstrap Layouts",
    "CSV Data Manipulation in Pandas",
    "Calculating Pi in Python",
    "Calculating Pi with Code",
    "Chatbot Development & Integration",
    "Chatbot Development and Customization",
    "Code Deobfuscation Techniques",
    "Concurrency, Sockets, and Webhooks",
    "Cron Job Scheduling Issues",
    "Databricks & Spark Integration",
    "Discord Bot Development",
    "Django Models & Serializers",
    "Docker Deployment & Configuration",
    "Dockerizing Python Applications",
    "E-Commerce Web Development",
    "Excel VBA and Formulas",
    "FFmpeg Video Processing",
    "Fibonacci Sequence Algorithms",
    "Fixing Fibonacci & Factorial Code",
    "Flask Web Development Essentials",
    "GIS Scripting and Customization",
    "Gradio Interfaces and Blocks",
    "HDL Design and Verification",
    "HLSL Shader Decompilation Refactoring",
    "Interactive Data Visualization in Python",
    "JAX Sharding & Neural Networks",
    "JavaScript Code Manipulation Techniques",
    "JavaScript Fourier Transformation",
    "Kotlin Development & Techniques",
    "Kubernetes Management & Configuration",
    "LLM Chatbot UI Customization",
    "Laravel & Filament Development",
    "Linked List Operations",
    "Linux Kernel and Memory Mapping",
    "Mocking Techniques and Testing",
    "Monads in Functional Programming",
    "Nix/NixOS Configuration & Usage",
    "Node.js & Authentication Development",
    "Odoo File Handling & Customization",
    "Optimized CUDA Matrix Multiplication",
    "PDF Processing in Python",
    "PHP CalDAV & SCIM Integration",
    "PHP, CORS, and Server Requests",
    "PyTorch Autoencoder Implementation",
    "Python Audio Processing",
    "Python Coding Challenges",
    "Python Concurrency Challenges",
    "Python Console Code Simulation",
    "Python Data Structures",
    "Python Development & Integration",
    "Python Looping and Counting",
    "Python Prime Number Validation",
    "Python Web Scraping",
    "RNN Implementation in VB6",
    "React Component Development",
    "Roblox Scripting and Mechanics",
    "Rust Fibonacci & Factorial Functions",
    "Rust Structs and Traits",
    "SQL Client Period Due Dates",
    "SQL Database Essentials",
    "Shiny App Development & Profiling",
    "Streamlit App Development",
    "String Reversal Techniques",
    "Swift Retry Management",
    "Symfony, Doctrine, CQRS/Event Sourcing",
    "Tailwind CSS & Next.js Development",
    "Text Processing with Awk/Sed/Grep",
    "Tidyverse Data Manipulation",
    "Tkinter Dynamic GUI Elements",
    "Video Download & Bot Scripts",
    "WPF Settings Persistence",
    "Web Development & APIs",
    "Web Scraping Techniques & Tools",
}
CHAT_CLUSTERS = {
    "Debate Preparation and Argumentation",
    "Endurance Race Training",
    "Healthy Meal Planning",
    "Text-Based RPG Creation",
}
SOURCE = {
    "name": "arena-hard-v0.1",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "Apache-2.0 (lmarena/arena-hard-auto LICENSE; the prompts are Chatbot Arena user prompts "
    "published in that repository)",
    "url": f"https://github.com/{REPO}",
    "label_rule": f"By the source's topic-cluster name: {len(CODE_CLUSTERS)} clusters named for a programming "
    "language, framework, tool or activity (Python Web Scraping, SQL Database Essentials, Cron Job "
    "Scheduling Issues, ...; the full table is CODE_CLUSTERS in llm_arena_hard.py) -> code; Debate "
    "Preparation and Argumentation, Text-Based RPG Creation, Endurance Race Training, Healthy Meal "
    "Planning (writing, role play, advice) -> chat; the other clusters (maths, puzzles, business, "
    "science, mixed) -> ambiguous, never scored.",
}
CAP = 250


def rows():
    items, prompts, clusters = [], Prompts(english_only=True), set()
    for _, q in json_lines(github(REPO, COMMIT, PATH)):
        clusters.add(q["cluster"])
        label = "code" if q["cluster"] in CODE_CLUSTERS else "chat" if q["cluster"] in CHAT_CLUSTERS else "?"
        prompt = prompts.take(q["prompt"])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}#uid={q['uid']}", label, prompt))
    unknown = (CODE_CLUSTERS | CHAT_CLUSTERS) - clusters
    if unknown:
        raise SystemExit(f"llm_arena_hard.py: clusters not in {PATH}: {sorted(unknown)}")
    caps = {"code": CAP, "chat": CAP, "?": CAP}
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, caps)]
